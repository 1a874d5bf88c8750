using MedImaging.Contracts.Registration;
using MedImaging.Directory.Domain;

namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// The one place a generated publication becomes a read-model row. It goes through <see cref="CatalogEntry.From"/>,
/// the same code the <c>CatalogWriter</c> runs for a real <see cref="ResourcePublished"/>, so every column the entry
/// derives (类目 and 亚目 from the full code, state, publication time …) is derived exactly as in production; the bulk
/// writer then takes every mapped column from the entry as EF would (<see cref="CatalogCopy"/>).
/// </summary>
public static class CatalogRows
{
    public static CatalogEntry From(ResourcePublished published)
    {
        var entry = CatalogEntry.From(published);
        // MERGE NOTE (feat/dir-search): the search-index columns that branch adds to directory.catalog_entries must be filled
        // here when they are computed outside CatalogEntry (e.g. bigram tokens or a normalised search text set by the writer
        // or the engine): set them on `entry` with the engine's own function. Columns mapped as properties of CatalogEntry
        // and set by CatalogEntry.From are written by CatalogCopy without change; database-generated (stored) columns are
        // skipped by CatalogCopy and computed by PostgreSQL; a trigger fires once per row during COPY (CatalogCopy reports
        // the triggers it finds, and the entries/s it prints include their cost). A NOT NULL column the EF model does not
        // know makes CatalogCopy refuse to start, naming the column, so a missed one cannot load silently empty rows.
        return entry;
    }
}
