using System.Net;
using System.Text.Json.Nodes;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Registration.Tests;

/// <summary>
/// Instances of a request are committed together (group commit). When the database refuses one of them, the others
/// must still be stored and nothing of the refused one may remain. A class of its own: the trigger it installs must not
/// reach other tests' nodes.
/// </summary>
public sealed class GroupFailureTests(RegistrationNode node) : IClassFixture<RegistrationNode>
{
    private const string RtPlanSop = "1.2.777.777.77.7.7777.7777.20030903150023";

    [Fact]
    public async Task AnInstanceTheDatabaseRefusesFailsAloneAndLeavesNothingBehind()
    {
        // A real refusal from PostgreSQL for one instance, as a constraint or a full disk would give.
        await node.ScalarAsync($"""
            CREATE FUNCTION registration.refuse_rtplan() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.sop_instance_uid = '{RtPlanSop}' THEN RAISE EXCEPTION 'injected refusal'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_rtplan BEFORE INSERT ON registration.instances FOR EACH ROW EXECUTE FUNCTION registration.refuse_rtplan();
            SELECT 0;
            """);

        var response = await node.Client("pacs-g", Roles.Adapter).PostAsync("/dicomweb/studies",
            Stow.Content(Corpus.Bytes("CT_small.dcm"), Corpus.Bytes("rtplan.dcm"), Corpus.Bytes("MR_small.dcm")));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, Stow.Items(body, "00081199").Count);
        var failed = Stow.Items(body, "00081198").Single();
        Assert.Equal(RtPlanSop, Stow.Text(failed, "00081155"));
        Assert.Equal("272", Stow.Text(failed, "00081197")); // 0x0110 processing failure
        Assert.Equal(0, await node.CountAsync("SELECT count(*) FROM registration.instances WHERE sop_instance_uid = $1", RtPlanSop));
        Assert.Equal(2, await node.CountAsync("SELECT count(*) FROM registration.instances"));
        Assert.Equal(2, await node.CountAsync("SELECT count(*) FROM registration.instance_versions"));
        var batch = Guid.Parse(response.Headers.GetValues("X-Acquisition-Batch").Single());
        Assert.Equal(1, await node.CountAsync("SELECT count(*) FROM registration.acquisition_items WHERE batch_id = $1 AND outcome = 'Failed'", batch));
        Assert.Equal("PartiallyFailed", await node.ScalarAsync("SELECT status FROM registration.acquisition_batches WHERE id = $1", batch));
    }
}
