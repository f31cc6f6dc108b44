SELECT attname, attislocal, attinhcount FROM pg_catalog.pg_attribute WHERE attrelid = 'app.books'::regclass AND attname = 'id'
