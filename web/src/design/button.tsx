import type { ButtonHTMLAttributes } from 'react';

export function Button(p: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'default' | 'primary' | 'danger'; size?: 'sm' | 'md' }) {
  const { variant = 'default', size = 'md', className, ...rest } = p;
  const cls = ['btn', variant !== 'default' ? `btn-${variant}` : '', size === 'sm' ? 'btn-sm' : '', className ?? ''].filter(Boolean).join(' ');
  return <button type="button" {...rest} className={cls} />;
}
