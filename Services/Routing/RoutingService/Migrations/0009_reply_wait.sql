-- Since when the visitor of an assigned session has been waiting for the serving agent's reply (the monitor's
-- 最长等待 per agent): set at assignment and transfer (the new agent owes a reply), kept by the visitor's
-- further messages, set by the visitor's first message after the agent's reply, cleared by the agent's message.
-- NULL: nobody waits for this agent in this session.
ALTER TABLE sessions ADD COLUMN reply_wait_since timestamptz;
