import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * Why a District Crown Prosecutor approved a further action plan: the narrative themes the
 * quarterly assurance return counts (the CPS response to the 2021 joint inspection asks each
 * Area to "identify any narrative theme" for cases with two or more action plans). Reference
 * data: the codes are stored, the labels can be reworded.
 */
export const APPROVAL_THEMES = [
  { code: 'third_party_material', label: 'Third-party material outstanding' },
  { code: 'digital_evidence', label: 'Digital evidence (phones, devices, social media)' },
  { code: 'further_statements', label: 'Further witness statements' },
  { code: 'forensic_medical', label: 'Forensic or medical evidence' },
  { code: 'suspect_account', label: 'Suspect interview or further account' },
  { code: 'disclosure', label: 'Unused material and disclosure schedules' },
  { code: 'victim_account', label: 'Clarification of the victim’s account' },
  { code: 'file_quality', label: 'File quality: earlier actions not fully answered' },
  { code: 'other', label: 'Other' },
] as const
export const APPROVAL_THEME_CODES = codesOf(APPROVAL_THEMES)
export type ApprovalTheme = (typeof APPROVAL_THEME_CODES)[number]

export const themeLabel = (code: string) => labelOf(APPROVAL_THEMES, code)

export const RESPONSE_KINDS = [
  { code: 'done', label: 'Done' },
  { code: 'cannot_be_done', label: 'Cannot be done' },
  { code: 'more_time', label: 'More time needed' },
] as const

export const REVIEW_OUTCOMES = [
  { code: 'next_review', label: 'Set the next review date' },
  { code: 'close', label: 'Close the plan: no further actions are needed from the police' },
] as const

export const PLAN_STATES = {
  issued: 'Waiting for the police',
  responded: 'Police responded to every action',
  admin_finalised: 'Admin finalised',
  closed: 'Closed at a review',
} as const
export type PlanState = keyof typeof PLAN_STATES

export const ACTION_STATES = {
  outstanding: 'Outstanding',
  done: 'Done',
  cannot_be_done: 'Cannot be done',
} as const
export type ActionState = keyof typeof ACTION_STATES

/**
 * What admin finalisation means, in the words shown wherever it appears: the 2021 joint
 * inspection found many staff misunderstood it.
 */
export const ADMIN_FINALISED_MEANING = [
  'Admin finalisation is an administrative closure by the CPS because the police have not responded to the action plan in time.',
  'It is not a decision on the evidence. No one has decided that the case should not go ahead, and the victim has not been told of any such decision.',
  'The case reopens as soon as the police respond to any action in the plan, with the plan and its dates restored.',
] as const

/** Upper bound on actions in one plan, and how many blank rows the form starts with. */
export const MAX_ACTIONS = 20
export const BLANK_ROWS = 3
/** Working days the prosecutor has to decide a request for more time. */
export const MORE_TIME_DECISION_WORKING_DAYS = 2
