-- A reference number for each public opinion (意见编号, issue 15): the
-- citizen keeps it to look up the opinion's status and published reply.
-- Opinions stored before have none (NULL) and cannot be looked up.
ALTER TABLE opinions ADD COLUMN ref TEXT;
CREATE UNIQUE INDEX opinions_ref ON opinions (ref) WHERE ref IS NOT NULL;
