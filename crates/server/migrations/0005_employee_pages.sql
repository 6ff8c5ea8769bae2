-- Pages of all employees of an account (no status filter) walk this index in id order
-- instead of sorting the whole account: found by the 100,000-employee benchmark.
CREATE INDEX employees_by_account_id ON employees(account_id, id);
