-- The create form's configuration (ticket types, templates, their fields and bindings) is kept in
-- memory by each process (src/lib/server/projects/form-config.ts) and read again when a
-- project's form_generation differs from the one it was read at. Every change to those tables
-- raises it, whatever makes the change (the dashboard, the CLI, another instance, plain SQL).
-- Changes are rare staff edits, so every project is raised (a built-in type, project_id NULL,
-- belongs to all of them, and a field names its project only through its template).
ALTER TABLE projects ADD COLUMN form_generation INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER form_generation_types_insert AFTER INSERT ON ticket_types
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_types_update AFTER UPDATE ON ticket_types
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_types_delete AFTER DELETE ON ticket_types
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;

CREATE TRIGGER form_generation_templates_insert AFTER INSERT ON templates
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_templates_update AFTER UPDATE ON templates
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_templates_delete AFTER DELETE ON templates
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;

CREATE TRIGGER form_generation_fields_insert AFTER INSERT ON template_fields
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_fields_update AFTER UPDATE ON template_fields
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_fields_delete AFTER DELETE ON template_fields
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;

CREATE TRIGGER form_generation_bindings_insert AFTER INSERT ON template_bindings
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_bindings_update AFTER UPDATE ON template_bindings
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
CREATE TRIGGER form_generation_bindings_delete AFTER DELETE ON template_bindings
BEGIN UPDATE projects SET form_generation = form_generation + 1; END;
