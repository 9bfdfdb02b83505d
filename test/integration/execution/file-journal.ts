// A file-backed OrderJournal (JSON lines, fsync per event) so a killed process leaves its
// journal on disk. Test-only: the production journal is the PostgreSQL store.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { InMemoryOrderJournal, type OrderEvent } from '../../../src/execution/index.ts';

export class FileOrderJournal extends InMemoryOrderJournal {
  private readonly fd: number;

  constructor(file: string) {
    super();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let e: OrderEvent;
        try {
          e = JSON.parse(line) as OrderEvent;
        } catch {
          break; // a torn last line from a kill: the event was never acknowledged as written
        }
        super.apply(e);
      }
    }
    this.fd = openSync(file, 'a');
  }

  protected override apply(e: OrderEvent): void {
    super.apply(e);
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
