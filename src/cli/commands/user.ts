import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ALL_FUNDS, isRole, newApiKey, ROLES } from '../../api/index.ts';
import { KeelError } from '../../core/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';

interface AddOptions {
  readonly role: string;
  readonly fund?: string[];
  readonly json?: boolean;
}

/**
 * `keel user add <name> --role <role> [--fund <id>…]` and `keel user key <name>`: API users. The
 * key is printed once and only its hash is stored; `--fund *` (admins only) means every fund.
 */
export function registerUserCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('API users, roles and keys');

  user
    .command('add <name>')
    .description('create a user and print its API key (shown once)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--fund <id...>', 'funds the user may see (default: the configured fund; * = every fund, admin only)')
    .option('--json', 'print as JSON')
    .action(async (name: string, o: AddOptions) => {
      if (!/^[A-Za-z0-9._@-]{1,100}$/.test(name)) throw new KeelError('KEEL_E_VALIDATION', `name: '${name}' must be 1–100 letters, digits or . _ @ -`, { field: 'name' });
      if (!isRole(o.role)) throw new KeelError('KEEL_E_VALIDATION', `--role: '${o.role}' is not one of ${ROLES.join(', ')}`, { field: 'role' });
      const funds = o.fund && o.fund.length > 0 ? [...new Set(o.fund)] : [(await ctx.loadConfig()).fund.id];
      if (funds.includes(ALL_FUNDS) && o.role !== 'admin') throw new KeelError('KEEL_E_VALIDATION', `--fund: '*' (every fund) is for admins only`, { field: 'fund' });
      const store = await ctx.store();
      for (const f of funds) {
        if (f !== ALL_FUNDS && !(await store.funds.get(f))) throw new KeelError('KEEL_E_NOT_FOUND', `--fund: fund ${f} does not exist (run \`keel init\` first)`, { field: 'fund' });
      }
      if ((await store.users.list()).some((u) => u.name === name)) {
        throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `user ${name} already exists; rotate its key with \`keel user key ${name}\``);
      }
      const key = newApiKey();
      const at = new Date().toISOString();
      const created = await store.users.create({ id: `user-${randomUUID()}`, name, role: o.role, fundIds: funds, apiKey: key, createdAt: at });
      await store.audit.append({ at, actor: ctx.env.user, action: 'UserCreated', entity: 'user', entityId: created.id, payload: { name, role: o.role, fundIds: funds } });
      emit(ctx.io, o.json === true, { user: created, apiKey: key }, () =>
        [
          `user ${name} (${o.role}) created for ${funds.join(', ')}`,
          `API key (shown once, store it now): ${key}`,
          `use it as  Authorization: Bearer ${key}  or log in to the dashboard with name ${name} and this key`,
        ].join('\n'),
      );
    });

  user
    .command('key <name>')
    .description('rotate the API key of a user and print the new key (shown once); the old key stops working')
    .option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const store = await ctx.store();
      const u = (await store.users.list()).find((x) => x.name === name);
      if (!u) throw new KeelError('KEEL_E_NOT_FOUND', `user ${name} does not exist (create it with \`keel user add ${name} --role <role>\`)`);
      const key = newApiKey();
      await store.users.rotateApiKey(u.id, key);
      await store.audit.append({ at: new Date().toISOString(), actor: ctx.env.user, action: 'UserKeyRotated', entity: 'user', entityId: u.id, payload: { name } });
      emit(ctx.io, o.json === true, { user: u, apiKey: key }, () => `new API key for ${name} (shown once, store it now): ${key}`);
    });

  user
    .command('list')
    .description('users, roles and funds (never keys)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const users = await (await ctx.store()).users.list();
      emit(ctx.io, o.json === true, { users }, () =>
        table(['name', 'role', 'funds', 'disabled'], users.map((u) => [u.name, u.role, u.fundIds.join(','), u.disabledAt ?? ''])),
      );
    });
}
