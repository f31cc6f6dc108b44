SELECT id, source FROM app.orders ORDER BY id
