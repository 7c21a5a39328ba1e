import { codesOf, labelOf } from '../../platform/codes.ts'
/**
 * Why the CPS sends a request for early advice or a charging referral back to the police at
 * triage (CPS adult-rape operating model, 2023): structured so the reasons can be counted by
 * force and Area, each with the detail the police need to put it right. Reference data, in one
 * list; several may apply.
 */
export const TRIAGE_REASONS = [
  { code: 'no_mg3', label: 'No MG3 (report to the Crown Prosecutor for a charging decision)' },
  { code: 'mg3_incomplete', label: 'The MG3 does not set out the evidence, the issues or the advice sought' },
  { code: 'no_mg5', label: 'No case summary (MG5)' },
  { code: 'missing_mg11', label: 'Key witness statements (MG11) missing' },
  { code: 'no_abe', label: 'The victim’s video-recorded (ABE) interview or its summary not provided' },
  { code: 'no_interview_record', label: 'No record of the suspect’s interview (MG15)' },
  { code: 'missing_mg6', label: 'Case file information (MG6) missing' },
  { code: 'unused_schedules_missing', label: 'Unused material schedules (MG6C, MG6D) missing or incomplete' },
  { code: 'no_disclosure_report', label: 'Disclosure officer’s report (MG6E) missing' },
  {
    code: 'third_party_material',
    label: 'Third-party material (medical, counselling, social care, school) not obtained or not assessed',
  },
  { code: 'digital_evidence', label: 'Digital evidence (phones, social media, CCTV) not obtained or not reviewed' },
  { code: 'forensics_outstanding', label: 'Medical or forensic results outstanding' },
  { code: 'victim_views', label: 'The victim’s views not recorded (on the case, special measures or support)' },
  { code: 'other', label: 'Another reason' },
] as const

export type TriageReason = (typeof TRIAGE_REASONS)[number]['code']
export const TRIAGE_REASON_CODES = codesOf(TRIAGE_REASONS)
export const triageReasonLabel = (code: string) => labelOf(TRIAGE_REASONS, code)
