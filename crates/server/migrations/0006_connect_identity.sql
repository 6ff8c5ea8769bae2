-- A signed-in profile connecting a social identity from its profile page: the attempt
-- remembers whose it is, and the identity is linked to that profile when the browser returns.
ALTER TABLE sign_in_attempts ADD COLUMN connect_profile TEXT REFERENCES profiles(id) ON DELETE CASCADE;
