-- Yardstick dataset: shop
-- A small online shop selling desk and computer accessories.
-- Dates are ISO-8601 TEXT in UTC ('YYYY-MM-DD HH:MM:SS').
-- Edge cases on purpose: customers with no orders, NULL emails and countries,
-- a duplicate account (same email in different case), cancelled and refunded
-- orders, an order without items, orders sharing a timestamp, a product that
-- was never ordered, a product with no category, equal prices, and order
-- lines sold below the list price.

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT,
    country     TEXT,              -- ISO 3166-1 alpha-2, NULL when unknown
    created_at  TEXT NOT NULL
);

CREATE TABLE products (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    category  TEXT,                -- NULL when not yet categorised
    price     NUMERIC NOT NULL     -- current list price
);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    status       TEXT NOT NULL CHECK (status IN ('paid', 'shipped', 'cancelled', 'refunded')),
    created_at   TEXT NOT NULL
);

CREATE TABLE order_items (
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    product_id  INTEGER NOT NULL REFERENCES products(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  NUMERIC NOT NULL,  -- price actually charged per unit
    PRIMARY KEY (order_id, product_id)
);

INSERT INTO customers (id, name, email, country, created_at) VALUES
    (1,  'Ana Silva',      'ana.silva@example.com',     'PT', '2025-01-10 10:00:00'),
    (2,  'Ben Carter',     'ben.carter@example.com',    'GB', '2025-02-03 14:20:00'),
    (3,  'Chloé Martin',   'chloe.martin@example.fr',   'FR', '2025-02-03 14:20:00'),
    (4,  'Dmitri Volkov',  NULL,                        'DE', '2025-03-15 08:45:00'),
    (5,  'Emma Schulz',    'emma.schulz@example.de',    'DE', '2025-04-01 12:00:00'),
    (6,  'Farid Haddad',   'farid@example.com',         NULL, '2025-05-22 17:30:00'),
    (7,  'Grace Kim',      'grace.kim@example.com',     'US', '2025-06-30 21:15:00'),
    (8,  'Hugo López',     'hugo.lopez@example.es',     'ES', '2025-07-07 07:07:00'),
    (9,  'Isla Murray',    'isla@example.co.uk',        'GB', '2025-08-19 11:40:00'),
    (10, 'Jonas Berg',     'jonas.berg@example.se',     'SE', '2025-09-09 09:09:00'),
    (11, 'Keiko Tanaka',   'keiko@example.jp',          'JP', '2025-10-12 03:25:00'),
    (12, 'Liam O''Brien',  'liam.obrien@example.ie',    'IE', '2025-11-01 16:00:00'),
    (13, 'Maria Rossi',    'maria.rossi@example.it',    'IT', '2026-01-05 10:20:00'),
    (14, 'Noah Williams',  'noah.w@example.com',        'US', '2026-02-14 13:00:00'),
    (15, 'Olivia Brown',   NULL,                        'US', '2026-03-01 18:30:00'),
    (16, 'Ana Silva',      'Ana.Silva@example.com',     'PT', '2026-03-10 09:00:00');

INSERT INTO products (id, name, category, price) VALUES
    (1,  'Mechanical Keyboard',          'peripherals', 89.00),
    (2,  'Wireless Mouse',               'peripherals', 29.00),
    (3,  'USB-C Hub',                    'accessories', 39.00),
    (4,  '27" Monitor',                  'displays',    279.00),
    (5,  'Laptop Stand',                 'accessories', 39.00),
    (6,  'Noise-Cancelling Headphones',  'audio',       199.00),
    (7,  'HD Webcam',                    'peripherals', 59.00),
    (8,  'Desk Mat',                     'accessories', 19.00),
    (9,  'Portable SSD 1TB',             'storage',     109.00),
    (10, 'USB Flash Drive 64GB',         'storage',     12.50),
    (11, 'Bluetooth Speaker',            'audio',       79.00),
    (12, 'Ergonomic Chair',              'furniture',   349.00),
    (13, 'Cable Organizer',              NULL,          9.90),
    (14, '34" Ultrawide Monitor',        'displays',    449.00);

INSERT INTO orders (id, customer_id, status, created_at) VALUES
    (1,  1,  'shipped',   '2025-01-15 09:12:00'),
    (2,  2,  'shipped',   '2025-02-10 11:00:00'),
    (3,  1,  'shipped',   '2025-03-02 16:45:00'),
    (4,  3,  'cancelled', '2025-03-05 08:30:00'),
    (5,  4,  'shipped',   '2025-03-20 12:00:00'),
    (6,  5,  'refunded',  '2025-04-11 19:05:00'),
    (7,  2,  'shipped',   '2025-05-01 10:10:00'),
    (8,  6,  'shipped',   '2025-06-02 13:30:00'),
    (9,  7,  'shipped',   '2025-07-04 09:00:00'),
    (10, 7,  'shipped',   '2025-07-04 09:00:00'),
    (11, 3,  'shipped',   '2025-08-15 17:20:00'),
    (12, 9,  'shipped',   '2025-09-01 08:00:00'),
    (13, 1,  'refunded',  '2025-09-18 14:00:00'),
    (14, 11, 'shipped',   '2025-10-20 21:45:00'),
    (15, 5,  'shipped',   '2025-11-03 10:00:00'),
    (16, 12, 'cancelled', '2025-11-05 11:11:00'),
    (17, 12, 'shipped',   '2025-11-05 11:30:00'),
    (18, 2,  'shipped',   '2025-12-01 09:00:00'),
    (19, 9,  'shipped',   '2025-12-24 18:00:00'),
    (20, 13, 'paid',      '2026-01-10 10:00:00'),
    (21, 1,  'paid',      '2026-01-28 12:30:00'),
    (22, 6,  'shipped',   '2026-02-02 15:00:00'),
    (23, 14, 'cancelled', '2026-02-20 09:45:00'),
    (24, 11, 'paid',      '2026-02-27 23:59:59'),
    (25, 7,  'paid',      '2026-03-01 00:00:00'),
    (26, 3,  'paid',      '2026-03-08 10:00:00'),
    (27, 5,  'cancelled', '2026-03-10 10:00:00'),
    (28, 13, 'paid',      '2026-03-12 08:15:00'),
    (29, 2,  'paid',      '2026-03-14 09:30:00'),
    (30, 16, 'paid',      '2026-03-14 09:30:00');

-- Order 23 was cancelled before any item was added, so it has no lines.
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
    (1,  1,  1, 89.00),
    (1,  8,  1, 19.00),
    (2,  4,  1, 279.00),
    (2,  3,  1, 39.00),
    (3,  2,  2, 29.00),
    (4,  6,  1, 199.00),
    (5,  9,  1, 109.00),
    (5,  10, 3, 12.50),
    (6,  12, 1, 349.00),
    (7,  7,  1, 59.00),
    (7,  13, 2, 9.90),
    (8,  11, 1, 79.00),
    (9,  1,  1, 85.00),
    (9,  2,  1, 29.00),
    (10, 5,  1, 39.00),
    (11, 6,  1, 179.00),
    (12, 4,  2, 279.00),
    (13, 3,  1, 39.00),
    (14, 9,  2, 109.00),
    (14, 8,  1, 19.00),
    (15, 11, 1, 79.00),
    (15, 10, 2, 12.50),
    (16, 12, 1, 349.00),
    (17, 12, 1, 329.00),
    (18, 2,  1, 29.00),
    (18, 5,  1, 39.00),
    (18, 13, 1, 9.90),
    (19, 6,  1, 199.00),
    (20, 1,  1, 89.00),
    (20, 2,  1, 29.00),
    (21, 7,  1, 59.00),
    (22, 3,  2, 39.00),
    (24, 10, 5, 12.00),
    (25, 4,  1, 279.00),
    (26, 8,  2, 19.00),
    (27, 9,  1, 109.00),
    (28, 5,  1, 39.00),
    (28, 3,  1, 39.00),
    (29, 1,  1, 89.00),
    (30, 11, 1, 79.00);
