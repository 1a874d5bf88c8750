using MedImaging.Directory.Infrastructure;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedImaging.Directory.Infrastructure.Migrations
{
    /// <summary>
    /// The read model's change feed for the search index (ADR 0030): every insert or update of a catalogue row takes the
    /// next number of a sequence, by trigger, so that every writer (consumers, rebuild, the benchmark's bulk COPY) feeds
    /// the index without knowing it. The trigger first takes a shared advisory lock for the rest of the transaction: the
    /// feeder's brief exclusive hold of it is a moment when no numbered change is uncommitted, so every number up to the
    /// sequence's value then is settled (committed or gone). Not in the EF model: only the feeder and the freshness check
    /// read the column.
    /// </summary>
    [DbContext(typeof(DirectoryDbContext))]
    [Migration("20261129053000_CatalogChangeFeed")]
    public partial class CatalogChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE SEQUENCE directory.catalog_change_seq;
                ALTER TABLE directory.catalog_entries
                  ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
                UPDATE directory.catalog_entries SET change_seq = nextval('directory.catalog_change_seq');
                CREATE INDEX ix_catalog_entries_change_seq ON directory.catalog_entries (change_seq);
                CREATE FUNCTION directory.catalog_entries_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_advisory_xact_lock_shared('directory.catalog_entries'::regclass::oid::bigint);
                  NEW.change_seq := nextval('directory.catalog_change_seq');
                  RETURN NEW;
                END $$;
                CREATE TRIGGER catalog_entries_change BEFORE INSERT OR UPDATE ON directory.catalog_entries
                  FOR EACH ROW EXECUTE FUNCTION directory.catalog_entries_change();

                -- Rows deleted outright (by an operator; the service itself withdraws) and truncations ('*') take a
                -- number too, so that the index drops them in the same order.
                CREATE TABLE directory.catalog_deletions (
                  change_seq bigint PRIMARY KEY,
                  origin_node character varying(64) NOT NULL,
                  resource_id uuid,
                  deleted_at timestamp with time zone NOT NULL DEFAULT now());
                CREATE FUNCTION directory.catalog_entries_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_advisory_xact_lock_shared('directory.catalog_entries'::regclass::oid::bigint);
                  IF TG_OP = 'TRUNCATE' THEN
                    INSERT INTO directory.catalog_deletions (change_seq, origin_node) VALUES (nextval('directory.catalog_change_seq'), '*');
                    RETURN NULL;
                  END IF;
                  INSERT INTO directory.catalog_deletions (change_seq, origin_node, resource_id)
                    VALUES (nextval('directory.catalog_change_seq'), OLD.origin_node, OLD.resource_id);
                  RETURN OLD;
                END $$;
                CREATE TRIGGER catalog_entries_deleted AFTER DELETE ON directory.catalog_entries
                  FOR EACH ROW EXECUTE FUNCTION directory.catalog_entries_deleted();
                CREATE TRIGGER catalog_entries_truncated AFTER TRUNCATE ON directory.catalog_entries
                  FOR EACH STATEMENT EXECUTE FUNCTION directory.catalog_entries_deleted();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER catalog_entries_truncated ON directory.catalog_entries;
                DROP TRIGGER catalog_entries_deleted ON directory.catalog_entries;
                DROP FUNCTION directory.catalog_entries_deleted();
                DROP TABLE directory.catalog_deletions;
                DROP TRIGGER catalog_entries_change ON directory.catalog_entries;
                DROP FUNCTION directory.catalog_entries_change();
                DROP INDEX directory.ix_catalog_entries_change_seq;
                ALTER TABLE directory.catalog_entries DROP COLUMN change_seq;
                DROP SEQUENCE directory.catalog_change_seq;
                """);
        }
    }
}
