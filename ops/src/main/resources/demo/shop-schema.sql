-- The demo's sample shop: customers, their orders, and notes on orders with a large text body
-- (stored out of line by PostgreSQL's TOAST, so an update that leaves it alone shows the cache
-- filling the unchanged value in).
CREATE TABLE public.customers (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.orders (
    id          integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES public.customers (id),
    status      text NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    amount      numeric(10, 2) NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.order_notes (
    id       integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES public.orders (id),
    pinned   boolean NOT NULL DEFAULT false,
    body     text NOT NULL
);
