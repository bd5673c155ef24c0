-- The books after a soak (scripts/soak runs this with psql once every task has ended).
-- Each row: a rule and how many rows break it; every count must be 0.
-- The rules are those of server/domain/src/credits: an append-only ledger whose entries sum
-- to the balance kept with them, reservations settled exactly once, each paid order granted
-- exactly once.

-- Each person's entries sum to the balance kept on their account.
SELECT 'entries sum to the kept balance', count(*)
FROM credit_accounts a
LEFT JOIN (SELECT user_id, SUM(delta) AS total FROM ledger_entries GROUP BY user_id) e
  ON e.user_id = a.user_id
WHERE COALESCE(e.total, 0) <> a.ledger_balance;

-- That balance is what the lots hold: unfrozen credits left minus debt.
SELECT 'kept balance equals unfrozen lots minus debt', count(*)
FROM credit_accounts a
LEFT JOIN (SELECT user_id, SUM(remaining) AS left_over FROM credit_lots WHERE frozen = 0
           GROUP BY user_id) l
  ON l.user_id = a.user_id
WHERE COALESCE(l.left_over, 0) - a.debt <> a.ledger_balance;

-- Every entry's balance_after is the running sum in the order entries were written (ids
-- are time-ordered UUIDs, made under the account's lock).
SELECT 'each balance_after is the running sum', count(*)
FROM (SELECT balance_after,
             SUM(delta) OVER (PARTITION BY user_id ORDER BY id) AS running
      FROM ledger_entries) x
WHERE balance_after <> running;

-- Nothing is held once every task has ended.
SELECT 'no reservation still held', count(*)
FROM credit_reservations WHERE status = 'held';

-- One reserve entry per reservation, and one settlement that matches its status.
SELECT 'each reservation reserved once and settled once', count(*)
FROM credit_reservations r
WHERE (SELECT count(*) FROM ledger_entries e
       WHERE e.reservation_id = r.id AND e.kind = 'reserve') <> 1
   OR (SELECT count(*) FROM ledger_entries e
       WHERE e.reservation_id = r.id AND e.kind IN ('capture', 'release'))
      <> CASE WHEN r.status = 'held' THEN 0 ELSE 1 END
   OR (SELECT count(*) FROM ledger_entries e
       WHERE e.reservation_id = r.id
         AND e.kind = CASE r.status WHEN 'captured' THEN 'capture'
                                    WHEN 'released' THEN 'release' END)
      <> CASE WHEN r.status = 'held' THEN 0 ELSE 1 END;

-- A reservation belongs to one task and is its cost.
SELECT 'each reservation is one task''s cost', count(*)
FROM credit_reservations r
WHERE (SELECT count(*) FROM tasks t
       WHERE t.reservation_id = r.id AND t.cost = r.amount) <> 1;

-- Every task has ended, and its reservation ended the same way: captured when it succeeded,
-- released otherwise (the person pays nothing for a failure).
SELECT 'every task ended', count(*)
FROM tasks WHERE status IN ('queued', 'running');
SELECT 'each account task settled as it ended', count(*)
FROM tasks t
LEFT JOIN credit_reservations r ON r.id = t.reservation_id
WHERE t.user_id IS NOT NULL
  AND (r.id IS NULL
       OR r.status <> CASE WHEN t.status = 'succeeded' THEN 'captured'
                           WHEN t.status IN ('queued', 'running') THEN 'held'
                           ELSE 'released' END);

-- A paid order granted its credits exactly once; any other order granted nothing.
SELECT 'each paid order granted once, others never', count(*)
FROM orders o
WHERE (SELECT count(*) FROM ledger_entries e
       JOIN credit_lots l ON l.id = e.lot_id
       WHERE e.kind = 'grant' AND e.order_id = o.id
         AND l.source IN ('purchase', 'subscription') AND e.amount = o.credits)
      <> CASE WHEN o.status = 'paid' THEN 1 ELSE 0 END;

-- The welcome bonus at most once per person.
SELECT 'signup bonus at most once per person', count(*)
FROM (SELECT user_id FROM credit_lots WHERE source = 'signup_bonus'
      GROUP BY user_id HAVING count(*) > 1) x;
