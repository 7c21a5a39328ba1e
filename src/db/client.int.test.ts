import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Db } from './client.ts'
import { migrate } from './migrate.ts'
import { createTestDatabase } from './test-database.ts'

let db: Db
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.close())

test('both engines hand back calendar dates as strings and counts as numbers, in and out of transactions', async () => {
  const sql = "SELECT DATE '2026-03-31' AS d, count(*) AS n, now() AS t FROM (VALUES (1), (2)) v(x)"
  const [plain] = await db.query<{ d: unknown; n: unknown; t: unknown }>(sql)
  const [inTx] = await db.transaction((tx) => tx.query<{ d: unknown; n: unknown; t: unknown }>(sql))
  for (const row of [plain, inTx]) {
    expect(row.d).toBe('2026-03-31')
    expect(row.n).toBe(2)
    expect(row.t).toBeInstanceOf(Date)
  }
})

test('a failing transaction leaves nothing behind', async () => {
  await db.query('CREATE TABLE scratch (n int)')
  await expect(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO scratch VALUES (1)')
      throw new Error('rule broken')
    }),
  ).rejects.toThrow('rule broken')
  expect(await db.query('SELECT * FROM scratch')).toEqual([])
})

test('migrations apply once: running them again changes nothing', async () => {
  expect(await migrate(db)).toEqual([])
})
