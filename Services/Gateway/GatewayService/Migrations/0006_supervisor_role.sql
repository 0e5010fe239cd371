-- Supervisors (主管): accounts that watch the monitor (监控), read any session and transfer or end it, but
-- change no settings.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('agent', 'admin', 'supervisor'));
