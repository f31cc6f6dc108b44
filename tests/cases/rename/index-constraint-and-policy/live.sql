CREATE TABLE public.items (id integer PRIMARY KEY, sku text, qty integer);
ALTER TABLE public.items ADD CONSTRAINT items_sku_uniq UNIQUE (sku);
ALTER TABLE public.items ADD CONSTRAINT qty_positive CHECK (qty > 0);
CREATE INDEX idx_items_qty ON public.items (qty);
ALTER TABLE public.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON public.items FOR SELECT USING (true);
