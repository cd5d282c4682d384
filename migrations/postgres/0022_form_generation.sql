-- As migrations/sqlite/0022_form_generation.sql: every change to the create form's
-- configuration raises every project's form_generation (once per statement here), so each
-- process's remembered configuration (src/lib/server/projects/form-config.ts) is read again.
ALTER TABLE projects ADD COLUMN form_generation BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION form_generation_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects SET form_generation = form_generation + 1;
	RETURN NULL;
END
$$;
CREATE TRIGGER form_generation_types AFTER INSERT OR UPDATE OR DELETE ON ticket_types
FOR EACH STATEMENT EXECUTE FUNCTION form_generation_raise();
CREATE TRIGGER form_generation_templates AFTER INSERT OR UPDATE OR DELETE ON templates
FOR EACH STATEMENT EXECUTE FUNCTION form_generation_raise();
CREATE TRIGGER form_generation_fields AFTER INSERT OR UPDATE OR DELETE ON template_fields
FOR EACH STATEMENT EXECUTE FUNCTION form_generation_raise();
CREATE TRIGGER form_generation_bindings AFTER INSERT OR UPDATE OR DELETE ON template_bindings
FOR EACH STATEMENT EXECUTE FUNCTION form_generation_raise();
