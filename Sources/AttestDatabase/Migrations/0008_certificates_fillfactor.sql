-- Issuing a certificate (pending → issued, with its file's digest and size) changes no indexed column. With room
-- left on each page, PostgreSQL writes that update as a heap-only tuple next to the old one and touches none of
-- the table's four indexes. Applies to pages written from now on.
ALTER TABLE attest.certificates SET (fillfactor = 85);
