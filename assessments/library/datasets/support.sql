-- Yardstick dataset: support
-- A customer-support desk: agents (with a reporting line), tickets and the
-- replies posted on them.
-- Dates are ISO-8601 TEXT in UTC ('YYYY-MM-DD HH:MM:SS').
-- Edge cases on purpose: an agent with no tickets, unassigned tickets,
-- tickets with no reply at all, tickets where only the customer replied,
-- replies sharing a timestamp, a reporting chain three levels deep, and
-- solved_at NULL for tickets that are not solved yet.

CREATE TABLE agents (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    team        TEXT NOT NULL,
    manager_id  INTEGER REFERENCES agents(id),  -- NULL for the head of support
    hired_at    TEXT NOT NULL
);

CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    requester_email    TEXT NOT NULL,
    subject            TEXT NOT NULL,
    priority           TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status             TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
    assigned_agent_id  INTEGER REFERENCES agents(id),  -- NULL while unassigned
    created_at         TEXT NOT NULL,
    solved_at          TEXT                            -- NULL until solved
);

CREATE TABLE ticket_replies (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    agent_id    INTEGER REFERENCES agents(id),  -- NULL when the customer wrote the reply
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

INSERT INTO agents (id, name, team, manager_id, hired_at) VALUES
    (1, 'Priya Raman',     'leadership', NULL, '2021-05-03 09:00:00'),
    (2, 'Tom Becker',      'billing',    1,    '2022-01-10 09:00:00'),
    (3, 'Sara Lind',       'technical',  1,    '2022-03-01 09:00:00'),
    (4, 'Omar Aziz',       'billing',    2,    '2023-06-12 09:00:00'),
    (5, 'Julia Nowak',     'technical',  3,    '2023-09-04 09:00:00'),
    (6, 'Kenji Mori',      'technical',  3,    '2024-02-19 09:00:00'),
    (7, 'Lucía Fernández', 'billing',    2,    '2026-03-02 09:00:00'),
    (8, 'Alex Morgan',     'technical',  5,    '2025-11-17 09:00:00');

INSERT INTO tickets (id, requester_email, subject, priority, status, assigned_agent_id, created_at, solved_at) VALUES
    (1,  'ana.silva@example.com',   'Charged twice for March',         'high',   'closed',  4,    '2026-03-02 08:15:00', '2026-03-02 11:40:00'),
    (2,  'ben.carter@example.com',  'Cannot reset password',           'normal', 'solved',  5,    '2026-03-02 09:00:00', '2026-03-03 10:00:00'),
    (3,  'grace.kim@example.com',   'API returns 502 on export',       'urgent', 'solved',  3,    '2026-03-03 14:05:00', '2026-03-03 17:30:00'),
    (4,  'isla@example.co.uk',      'Invoice needs VAT number',        'low',    'closed',  2,    '2026-03-04 10:20:00', '2026-03-06 09:00:00'),
    (5,  'keiko@example.jp',        'Webhook signature mismatch',      'high',   'pending', 6,    '2026-03-05 02:30:00', NULL),
    (6,  'farid@example.com',       'How do I add a team member?',     'low',    'solved',  8,    '2026-03-05 11:00:00', '2026-03-05 11:45:00'),
    (7,  'maria.rossi@example.it',  'Refund for unused seats',         'normal', 'solved',  4,    '2026-03-06 13:10:00', '2026-03-09 16:00:00'),
    (8,  'noah.w@example.com',      'Data export is empty',            'high',   'open',    5,    '2026-03-07 16:45:00', NULL),
    (9,  'chloe.martin@example.fr', 'Change billing currency',         'normal', 'open',    NULL, '2026-03-08 09:30:00', NULL),
    (10, 'ben.carter@example.com',  'SSO login loop',                  'urgent', 'solved',  6,    '2026-03-09 07:55:00', '2026-03-09 15:20:00'),
    (11, 'emma.schulz@example.de',  'Typo in welcome email',           'low',    'closed',  8,    '2026-03-09 12:00:00', '2026-03-10 09:15:00'),
    (12, 'hugo.lopez@example.es',   'Card declined at checkout',       'normal', 'pending', 2,    '2026-03-10 18:20:00', NULL),
    (13, 'ana.silva@example.com',   'Charged twice again',             'urgent', 'open',    4,    '2026-03-11 08:00:00', NULL),
    (14, 'liam.obrien@example.ie',  'Rate limit too low for import',   'normal', 'solved',  3,    '2026-03-11 10:30:00', '2026-03-12 12:00:00'),
    (15, 'jonas.berg@example.se',   'Account deletion request',        'high',   'open',    NULL, '2026-03-12 21:40:00', NULL),
    (16, 'grace.kim@example.com',   'Export times out for large data', 'high',   'solved',  5,    '2026-03-13 09:00:00', '2026-03-13 18:30:00'),
    (17, 'olivia.b@example.com',    'Question about the free plan',    'low',    'open',    NULL, '2026-03-14 09:30:00', NULL),
    (18, 'isla@example.co.uk',      'Dark mode request',               'low',    'open',    6,    '2026-03-14 09:30:00', NULL);

INSERT INTO ticket_replies (id, ticket_id, agent_id, body, created_at) VALUES
    (1,  1,  4,    'Sorry about that, looking into the duplicate charge now.',  '2026-03-02 09:05:00'),
    (2,  1,  NULL, 'Thanks, the second charge is from the 1st.',                '2026-03-02 09:30:00'),
    (3,  1,  4,    'Refund issued, it will show in 3-5 days.',                  '2026-03-02 11:35:00'),
    (4,  2,  5,    'I have sent a new reset link.',                             '2026-03-02 13:20:00'),
    (5,  2,  NULL, 'The link expired before I could use it.',                   '2026-03-03 08:00:00'),
    (6,  2,  5,    'Extended the expiry, please try again.',                    '2026-03-03 09:50:00'),
    (7,  3,  3,    'Confirmed, export workers are failing. Escalated.',         '2026-03-03 14:20:00'),
    (8,  3,  3,    'Fix deployed, exports are working again.',                  '2026-03-03 17:25:00'),
    (9,  4,  2,    'Added the VAT number and reissued the invoice.',            '2026-03-05 15:00:00'),
    (10, 5,  NULL, 'Any update? Our integration is blocked.',                   '2026-03-05 10:00:00'),
    (11, 5,  6,    'Which signing secret version are you using?',               '2026-03-05 10:45:00'),
    (12, 5,  NULL, 'Version 2, rotated last week.',                             '2026-03-05 12:00:00'),
    (13, 6,  8,    'Go to Settings > Team > Invite.',                           '2026-03-05 11:20:00'),
    (14, 7,  4,    'Seats can be refunded pro rata, confirming the amount.',    '2026-03-07 09:00:00'),
    (15, 7,  4,    'Refund of 58.00 EUR issued.',                               '2026-03-09 15:55:00'),
    (16, 8,  NULL, 'Adding a screenshot of the empty file.',                    '2026-03-07 17:00:00'),
    (17, 10, 6,    'We see the loop, checking the IdP metadata.',               '2026-03-09 08:10:00'),
    (18, 10, 3,    'Certificate rollover on our side, fixing.',                 '2026-03-09 08:10:00'),
    (19, 10, 6,    'Resolved, please log in again.',                            '2026-03-09 15:15:00'),
    (20, 11, 8,    'Thanks, fixed in the template.',                            '2026-03-10 09:10:00'),
    (21, 12, 2,    'The bank declined the charge, can you try another card?',   '2026-03-11 09:00:00'),
    (22, 13, NULL, 'This is the second time, please call me.',                  '2026-03-11 08:30:00'),
    (23, 14, 3,    'Raised your limit to 50 requests per second.',              '2026-03-12 11:55:00'),
    (24, 16, 5,    'Large exports now run in the background.',                  '2026-03-13 12:40:00'),
    (25, 16, NULL, 'Works now, thank you.',                                     '2026-03-13 18:00:00'),
    (26, 18, NULL, 'Also for the mobile app please.',                           '2026-03-14 10:00:00');
