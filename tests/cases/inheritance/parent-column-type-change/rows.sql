SELECT id, title, owner FROM app.items ORDER BY id
