-- The Threshold Test's fifth condition (Code for Crown Prosecutors, section 5): charging is in
-- the public interest. Referrals made before it was asked keep a null here.
ALTER TABLE charging_referrals ADD COLUMN threshold_public_interest text
