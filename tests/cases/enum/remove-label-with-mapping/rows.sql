SELECT id, CASE status::text WHEN 'archived' THEN 'closed' ELSE status::text END,
       array_replace(history::text[], 'archived', 'closed')
FROM public.tickets ORDER BY id
