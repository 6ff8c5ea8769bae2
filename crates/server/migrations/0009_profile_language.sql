-- The language a profile reads Lanyard in (`en`, `ru`): its mails and SMS follow it. Empty
-- until the person or their first request says.
ALTER TABLE profiles ADD COLUMN language TEXT;
