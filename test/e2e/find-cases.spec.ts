import { randomInt } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { expectAccessible, fillCaseForm, fillDate, newNorthvaleUrn, signIn } from './support.ts'

/** A made-up surname no other run shares: letters only, since the search box reads digits as a URN. */
const surname = () => `Quarrington${Array.from({ length: 5 }, () => String.fromCharCode(97 + randomInt(0, 26))).join('')}`

test('an investigator finds a case by stage, sorts the list and searches by a suspect’s name', async ({ page }) => {
  const urn = newNorthvaleUrn()
  const lastName = surname()

  await test.step('records a case with an identified suspect', async () => {
    await signIn(page, 'oic.north')
    await page.getByRole('button', { name: 'Record a new case' }).click()
    await fillCaseForm(page, {
      urn,
      offences: ['19C – Rape of a female aged 16 and over'],
      offence: { day: '31', month: '1', year: '2025' },
      reported: { day: '1', month: '2', year: '2025' },
    })
    await page.getByRole('button', { name: 'Record case' }).click()
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Suspects' }).click()
    await page.getByRole('button', { name: 'Add a suspect' }).click()
    await page.getByRole('radio', { name: 'Yes' }).check()
    await page.getByLabel('First name').fill('Morwenna')
    await page.getByLabel('Last name').fill(lastName)
    await fillDate(page, 'Date identified', { day: '3', month: '2', year: '2025' })
    await page.getByRole('button', { name: 'Add suspect' }).click()
    await expect(page.getByText('Suspect added')).toBeVisible()
  })

  await test.step('opens the case list: a filter panel beside the table', async () => {
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Filter' })).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('filters by stage: only cases under investigation, shown as a removable tag', async () => {
    await page.getByRole('group', { name: 'Stage' }).getByLabel('Investigation').check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect(page).toHaveURL(/\/cases\?stage=investigation$/)
    await expect(page.getByRole('heading', { name: 'Selected filters' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Remove this filter Investigation' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Clear filters' })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: urn })).toBeVisible()
    const stages = await page.locator('tbody tr td:nth-child(5)').allTextContents()
    expect(stages.length).toBeGreaterThan(0)
    for (const s of stages) expect(s.trim()).toBe('Investigation')
    await expectAccessible(page)
  })

  await test.step('sorts by URN, then the other way, keeping the filter', async () => {
    const urnHeader = page.getByRole('columnheader', { name: /URN/ })
    await urnHeader.getByRole('link', { name: 'URN' }).click()
    await expect(page).toHaveURL(/stage=investigation&sort=urn&order=asc/)
    await expect(page.getByRole('columnheader', { name: /URN/ })).toHaveAttribute('aria-sort', 'ascending')
    const ascending = (await page.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim())
    expect(ascending).toEqual([...ascending].sort())
    await page.getByRole('columnheader', { name: /URN/ }).getByRole('link', { name: 'URN' }).click()
    await expect(page.getByRole('columnheader', { name: /URN/ })).toHaveAttribute('aria-sort', 'descending')
    const descending = (await page.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim())
    expect(descending).toEqual([...ascending].reverse())
    await expectAccessible(page)
  })

  await test.step('searches by the suspect’s name: the case is found, and the name is not in the address', async () => {
    await page.getByLabel('Search by URN or name').fill(lastName.toLowerCase().slice(0, 14))
    await page.getByRole('button', { name: 'Search' }).click()
    await expect(page).toHaveURL(/\/cases\?search=[0-9a-f-]{36}$/)
    expect(page.url().toLowerCase()).not.toContain(lastName.toLowerCase().slice(0, 11))
    await expect(page.getByRole('row').filter({ hasText: urn })).toBeVisible()
    await expect(page.locator('tbody tr')).toHaveCount(1)
    await expect(page.getByRole('heading', { name: 'Selected filters' })).toBeVisible()
    await expectAccessible(page)
  })
})
