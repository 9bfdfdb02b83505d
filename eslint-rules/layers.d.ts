import type { Rule } from 'eslint';

export declare const ALLOWED: Readonly<Record<string, readonly string[]>>;
export declare const layersRule: Rule.RuleModule;
export declare const keelPlugin: { rules: { layers: Rule.RuleModule } };
