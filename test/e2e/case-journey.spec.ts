import { expect, test } from '@playwright/test'
import { expectAccessible, fillCaseForm, newNorthvaleUrn, signIn } from './support.ts'

test('an investigator records a case, finds it again, and another force cannot open it', async ({ page }) => {
  const urn = newNorthvaleUrn()
  let caseUrl = ''

  await test.step('oic.north signs in and sees the case list', async () => {
    await signIn(page, 'oic.north')
    await expectAccessible(page)
  })

  await test.step('records a new case', async () => {
    await page.getByRole('button', { name: 'Record a new case' }).click()
    await expect(page).toHaveURL(/\/cases\/new$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Record a new case' })).toBeVisible()
    // The signed-in investigator is the officer in charge unless someone else is chosen.
    await expect(page.locator('#officerInChargeId option:checked')).toHaveText('DC Sam Okafor')
    await expectAccessible(page)

    await fillCaseForm(page, {
      urn,
      offences: ['19C – Rape of a female aged 16 and over', '20A – Sexual assault on a female aged 13 and over'],
      offence: { day: '12', month: '2', year: '2025' },
      reported: { day: '14', month: '2', year: '2025' },
    })
    await page.getByRole('button', { name: 'Record case' }).click()
  })

  await test.step('lands on the case page with "Case created" on the timeline', async () => {
    await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/)
    caseUrl = new URL(page.url()).pathname
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
    await expect(page.locator('.moj-identity-bar')).toContainText(urn)
    await expect(page.getByRole('navigation', { name: 'Case sections' })).toBeVisible()
    await expect(page.locator('.moj-timeline')).toContainText('Case created')
    await expect(page.locator('.govuk-summary-list')).toContainText('14 February 2025')
    await expect(page.locator('.govuk-summary-list')).toContainText('20A – Sexual assault on a female aged 13 and over')
    await expect(page.getByText('Rape flag')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('finds the case in the case list and opens it from there', async () => {
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible()
    const row = page.getByRole('row').filter({ hasText: urn })
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('DC Sam Okafor')
    await expectAccessible(page)
    await row.getByRole('link', { name: urn }).click()
    await expect(page).toHaveURL(caseUrl)
    await expect(page.getByRole('heading', { level: 1, name: `Case ${urn}` })).toBeVisible()
  })

  await test.step('reclassifies the offences; the rape flag stays', async () => {
    await page.getByRole('link', { name: 'Change case details' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Change case details' })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('group', { name: 'Offences' }).getByLabel('19C – Rape of a female aged 16 and over').uncheck()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page).toHaveURL(caseUrl)
    await expect(page.locator('.govuk-summary-list')).not.toContainText('19C')
    await expect(page.getByText('Rape flag')).toBeVisible()
    await expect(page.locator('.moj-timeline')).toContainText('Offences changed')
  })

  await test.step('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/signed-out$/)
    await expect(page.getByRole('heading', { level: 1, name: 'You have been signed out' })).toBeVisible()
    await expectAccessible(page)
    // The session has really ended: the case list asks for a sign-in again.
    await page.goto('/cases')
    await expect(page).toHaveURL(/\/sign-in/)
  })

  await test.step('oic.south, of another force, gets "Page not found" for the same case', async () => {
    await signIn(page, 'oic.south')
    await expect(page.getByRole('row').filter({ hasText: urn })).toHaveCount(0)
    const response = await page.goto(caseUrl)
    expect(response?.status()).toBe(404)
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
    await expect(page.getByText(urn)).toHaveCount(0)
    await expectAccessible(page)
  })
})
