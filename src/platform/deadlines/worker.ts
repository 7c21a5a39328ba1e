import { anchorStore, checkpointer } from '../audit/anchor.ts'
import { sealAudit } from '../audit/sealer.ts'
import type { Services } from '../context.ts'
import { type Delivery, deliver } from '../notify/outbox.ts'
import { sweepAll } from './sweeper.ts'

/**
 * Each app instance sweeps on a timer; the sweeper's row locks make that safe with many
 * instances. A failed round is logged (no case data in the message) and retried next time.
 * The same round seals the audit rows written since the last one (platform/audit/sealer.ts),
 * whether or not the sweep succeeded: the chain's lock makes that safe with many instances too.
 * Then it appends a signed checkpoint of the chain's end outside the database, if the end has
 * moved (audit/anchor.ts).
 */
export function startDeadlineWorker(
  s: Services,
  delivery: Delivery,
  log: { error(obj: object, msg: string): void },
): { stop(): void } {
  let running = false
  const checkpoint = checkpointer(() => anchorStore(s.config), s.config.auditAnchorMinutes)
  const round = async () => {
    if (running) return
    running = true
    try {
      await sweepAll(s.db, s.clock.now())
      while ((await deliver(s.db, delivery, s.clock.now())) > 0) {}
    } catch (err) {
      log.error({ err: (err as Error).name }, 'deadline sweep failed')
    }
    try {
      await sealAudit(s.db)
    } catch (err) {
      log.error({ err: (err as Error).name }, 'audit sealing failed')
    }
    try {
      await checkpoint(s.db, s.clock.now())
    } catch (err) {
      log.error({ err: (err as Error).name, message: (err as Error).message }, 'audit checkpoint not written')
    } finally {
      running = false
    }
  }
  const timer = setInterval(round, s.config.sweepSeconds * 1000)
  timer.unref()
  void round()
  return { stop: () => clearInterval(timer) }
}
