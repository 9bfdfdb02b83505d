import type { Command } from 'commander';
import { KeelError } from '../../core/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('the audit hash chain')
    .command('verify')
    .description('verify the audit hash chain; names the first tampered row')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const store = await ctx.store();
      const v = await store.audit.verify();
      emit(ctx.io, o.json === true, v, () => (v.ok ? `audit chain ok: ${v.rows} rows verified` : `audit chain BROKEN at row ${v.firstBadId}: ${v.reason}`));
      if (!v.ok) throw new KeelError('KEEL_E_AUDIT_TAMPERED', `audit chain broken at row ${v.firstBadId}: ${v.reason}`);
    });
}
