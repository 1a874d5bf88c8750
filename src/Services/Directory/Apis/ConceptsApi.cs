using MedImaging.Directory.Concepts;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MedImaging.Directory.Apis;

/// <summary>The concept dictionary for the portal: lookup as the user types (chips, autocomplete) and one concept with its neighbours.</summary>
public static class ConceptsApi
{
    public const int MaxQueryLength = 100;

    public static IEndpointRouteBuilder MapConceptsApi(this IEndpointRouteBuilder app)
    {
        var concepts = app.MapGroup("/concepts").WithTags("Concepts").RequireAuthorization(Policies.Discover);
        concepts.MapGet("", Lookup).WithName("LookupConcepts")
            .WithSummary("Concepts whose label or synonym, Chinese or English, starts with q (exact names first); without q, the whole dictionary by id");
        concepts.MapGet("/{id}", Get).WithName("GetConcept")
            .WithSummary("One concept: labels, synonyms, broader and narrower concepts");
        return app;
    }

    public static Ok<Paged<ConceptHit>> Lookup(ConceptVocabulary dictionary, [FromQuery(Name = "q")] string? q, [AsParameters] PageQuery paging)
    {
        var text = ConceptText.Normalize(q);
        // Without text the dictionary is browsed (the portal's concept tree editor pages through it).
        if (text.Length == 0)
            return TypedResults.Ok(dictionary.Concepts.OrderBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new ConceptHit(c.Id, c.Kind, c.LabelZh, c.LabelEn, c.LabelZh)).ToList().ToPaged(paging));
        if (text.Length > MaxQueryLength) throw new ValidationProblemException("q", $"q may have at most {MaxQueryLength} characters; got {text.Length}.");
        return TypedResults.Ok(ConceptLookup.Find(dictionary, text).ToPaged(paging));
    }

    public static Results<Ok<ConceptDetails>, ProblemHttpResult> Get(ConceptVocabulary dictionary, string id) =>
        dictionary.Find(id) is { } c
            ? TypedResults.Ok(new ConceptDetails(c.Id, c.Kind, c.LabelZh, c.LabelEn, c.SynonymsZh, c.SynonymsEn,
                [.. dictionary.Broader(c.Id).Select(ConceptRef.Of)], [.. dictionary.Narrower(c.Id).Select(ConceptRef.Of)]))
            : TypedResults.Problem(title: "Not found", detail: $"The concept dictionary has no concept '{id}'.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>A concept found by lookup, with the label or synonym that matched.</summary>
public sealed record ConceptHit(string Id, string Kind, string LabelZh, string LabelEn, string MatchedTerm);

public sealed record ConceptRef(string Id, string Kind, string LabelZh, string LabelEn)
{
    public static ConceptRef Of(Concept c) => new(c.Id, c.Kind, c.LabelZh, c.LabelEn);
}

public sealed record ConceptDetails(string Id, string Kind, string LabelZh, string LabelEn, IReadOnlyList<string> SynonymsZh,
    IReadOnlyList<string> SynonymsEn, IReadOnlyList<ConceptRef> Broader, IReadOnlyList<ConceptRef> Narrower);
