SELECT id, title, isbn FROM app.books ORDER BY id
