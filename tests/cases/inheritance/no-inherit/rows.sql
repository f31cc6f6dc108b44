SELECT id, title, isbn FROM ONLY app.books ORDER BY id
