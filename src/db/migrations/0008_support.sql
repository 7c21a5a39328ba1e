-- Recommendation 2: referral to an ISVA service or SARC with the victim's consent, exactly
-- what the victim agreed to share, and the support offered at each stage.
CREATE TABLE support_referrals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  service_id uuid NOT NULL REFERENCES organisations (id),
  kind text NOT NULL CHECK (kind IN ('isva', 'sarc')),
  consent_recorded_on date NOT NULL,
  -- What the victim agreed their support service may see; the case summary is the least a referral needs.
  shared text[] NOT NULL CHECK ('case_summary' = ANY (shared)),
  referred_by uuid NOT NULL REFERENCES users (id),
  referred_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_by uuid REFERENCES users (id),
  end_reason text,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
)
--;
-- One active referral per service per case.
CREATE UNIQUE INDEX support_referrals_one_active ON support_referrals (case_id, service_id) WHERE ended_at IS NULL
--;
CREATE INDEX support_referrals_service ON support_referrals (service_id) WHERE ended_at IS NULL
--;
CREATE TABLE support_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases (id),
  -- The stage at the time of the offer, copied from the case, so support can be shown stage by stage.
  stage text NOT NULL,
  offered_on date NOT NULL,
  support text NOT NULL,
  accepted boolean NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users (id),
  recorded_at timestamptz NOT NULL
)
--;
CREATE INDEX support_offers_case ON support_offers (case_id, offered_on)
