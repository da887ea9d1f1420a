-- Yardstick dataset: events
-- Sign-ups and product analytics events for a small SaaS product.
-- Dates are ISO-8601 TEXT in UTC ('YYYY-MM-DD HH:MM:SS').
-- Edge cases on purpose: users who never produced an event, a referral chain
-- several levels deep, sign-ups sharing a timestamp, events sharing a
-- timestamp, two logins on the same day, an anonymous event (NULL user_id),
-- events ingested twice (same user, name and time, different id), NULL
-- properties_json, an event that arrived late (its id is higher than events
-- that happened after it), and a gap in ids (event 12 was deleted).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    plan          TEXT NOT NULL CHECK (plan IN ('free', 'pro', 'team')),
    signed_up_at  TEXT NOT NULL,
    referred_by   INTEGER REFERENCES users(id)   -- NULL when not referred
);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER REFERENCES users(id),  -- NULL for anonymous visitors
    name             TEXT NOT NULL,                 -- 'login', 'page_view', 'purchase', 'logout', ...
    occurred_at      TEXT NOT NULL,
    properties_json  TEXT                           -- JSON object or NULL
);

INSERT INTO users (id, email, plan, signed_up_at, referred_by) VALUES
    (1,  'a.kowalski@example.com', 'team', '2026-01-03 09:00:00', NULL),
    (2,  'b.nguyen@example.com',   'pro',  '2026-01-05 10:30:00', 1),
    (3,  'c.okafor@example.com',   'free', '2026-01-05 10:30:00', 1),
    (4,  'd.larsen@example.com',   'free', '2026-01-12 11:45:00', 2),
    (5,  'e.moreau@example.com',   'pro',  '2026-01-20 14:50:00', NULL),
    (6,  'f.ibrahim@example.com',  'free', '2026-02-01 09:55:00', 4),
    (7,  'g.santos@example.com',   'team', '2026-02-03 08:40:00', 5),
    (8,  'h.fischer@example.com',  'free', '2026-02-10 16:00:00', NULL),
    (9,  'i.petrov@example.com',   'pro',  '2026-02-14 19:30:00', 6),
    (10, 'j.mensah@example.com',   'free', '2026-02-20 12:10:00', 1),
    (11, 'k.yamada@example.com',   'free', '2026-03-01 07:50:00', NULL),
    (12, 'l.garcia@example.com',   'pro',  '2026-03-02 10:00:00', 7),
    (13, 'm.dubois@example.com',   'free', '2026-03-05 15:25:00', NULL),
    (14, 'n.ahmed@example.com',    'team', '2026-03-09 07:30:00', 12),
    (15, 'o.jensen@example.com',   'free', '2026-03-10 13:00:00', NULL),
    (16, 'p.costa@example.com',    'free', '2026-03-15 20:45:00', 11);

INSERT INTO events (id, user_id, name, occurred_at, properties_json) VALUES
    (1,  1,    'login',     '2026-01-03 09:05:00', '{"device": "web"}'),
    (2,  1,    'login',     '2026-01-04 08:00:00', '{"device": "web"}'),
    (3,  1,    'login',     '2026-01-05 08:10:00', '{"device": "ios"}'),
    (4,  2,    'login',     '2026-01-05 10:31:00', '{"device": "web"}'),
    (5,  3,    'login',     '2026-01-05 10:35:00', '{"device": "android"}'),
    (6,  3,    'page_view', '2026-01-05 10:35:00', '{"path": "/pricing"}'),
    (7,  2,    'purchase',  '2026-01-05 10:45:00', '{"amount": 29.0, "currency": "EUR", "plan": "pro"}'),
    (8,  2,    'login',     '2026-01-06 09:00:00', '{"device": "web"}'),
    (9,  1,    'login',     '2026-01-08 19:00:00', '{"device": "web"}'),
    (10, 1,    'login',     '2026-01-09 07:30:00', '{"device": "ios"}'),
    (11, 4,    'login',     '2026-01-12 12:00:00', '{"device": "web"}'),
    (13, 5,    'login',     '2026-01-20 15:00:00', '{"device": "web"}'),
    (14, 5,    'purchase',  '2026-01-21 15:00:00', '{"amount": 29.0, "currency": "EUR", "plan": "pro"}'),
    (15, 5,    'purchase',  '2026-01-21 15:00:00', '{"amount": 29.0, "currency": "EUR", "plan": "pro"}'),
    (16, 6,    'login',     '2026-02-01 10:00:00', '{"device": "android"}'),
    (17, 5,    'login',     '2026-02-02 08:20:00', '{"device": "web"}'),
    (18, 6,    'login',     '2026-02-02 21:10:00', '{"device": "android"}'),
    (19, 6,    'login',     '2026-02-03 07:45:00', '{"device": "android"}'),
    (20, 7,    'login',     '2026-02-03 09:00:00', '{"device": "web"}'),
    (21, 7,    'page_view', '2026-02-03 09:01:00', '{"path": "/pricing"}'),
    (22, 7,    'purchase',  '2026-02-03 09:20:00', '{"amount": 249.0, "currency": "EUR", "plan": "team"}'),
    (23, 1,    'purchase',  '2026-02-10 12:00:00', '{"amount": 99.0, "currency": "EUR", "plan": "team"}'),
    (24, 9,    'login',     '2026-02-14 20:00:00', '{"device": "ios"}'),
    (25, 9,    'logout',    '2026-02-14 20:00:00', NULL),
    (26, 2,    'login',     '2026-02-15 11:00:00', '{"device": "web"}'),
    (27, 9,    'login',     '2026-02-14 19:55:00', '{"device": "ios"}'),
    (28, 10,   'login',     '2026-02-20 12:15:00', '{"device": "web"}'),
    (29, NULL, 'page_view', '2026-02-22 17:00:00', '{"path": "/"}'),
    (30, 4,    'login',     '2026-03-01 08:00:00', '{"device": "web"}'),
    (31, 11,   'login',     '2026-03-01 08:00:00', '{"device": "android"}'),
    (32, 1,    'login',     '2026-03-02 09:00:00', '{"device": "web"}'),
    (33, 12,   'login',     '2026-03-02 10:05:00', '{"device": "web"}'),
    (34, 12,   'purchase',  '2026-03-02 10:30:00', '{"amount": 29.0, "currency": "EUR", "plan": "pro"}'),
    (35, 6,    'purchase',  '2026-03-03 18:00:00', '{"amount": 29.0, "currency": "EUR", "plan": "pro"}'),
    (36, 7,    'login',     '2026-03-04 09:00:00', '{"device": "web"}'),
    (37, 7,    'login',     '2026-03-04 09:00:00', '{"device": "web"}'),
    (38, 14,   'login',     '2026-03-09 08:00:00', '{"device": "ios"}'),
    (39, 14,   'login',     '2026-03-10 07:45:00', '{"device": "ios"}'),
    (40, 14,   'login',     '2026-03-10 18:00:00', '{"device": "web"}'),
    (41, 14,   'login',     '2026-03-11 09:00:00', '{"device": "ios"}');
