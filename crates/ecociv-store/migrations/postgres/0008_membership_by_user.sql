-- Every signed-in request reads the caller's roles by user id (`Store::memberships`): an index for it, so
-- the read stays one index lookup at national scale (thousands of accounts × their zones). On Citus
-- `membership` is a reference table and the index is on every node's copy.
CREATE INDEX membership_by_user ON membership (user_id);
