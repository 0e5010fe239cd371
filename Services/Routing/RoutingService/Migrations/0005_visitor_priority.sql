-- A visitor's priority, 0 (normal) to 9 (most urgent): the latest `priority` a connector or the API channel
-- gave on `visitor.message`, else the channel's default from the settings. The queue serves the lower
-- `priority` column first (a re-queue after the agent left uses 0, the front), so a visitor of priority p
-- queues at 10 - p: VIPs before normal visitors, FIFO within a priority.
ALTER TABLE sessions ADD COLUMN visitor_priority smallint CHECK (visitor_priority BETWEEN 0 AND 9);

-- The visitor priority a session had when it was assigned.
ALTER TABLE assignment_audit ADD COLUMN visitor_priority smallint;
