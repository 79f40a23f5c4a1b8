using Google.Protobuf.Reflection;
using RiverRun.Host.Security;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests.Security;

/// <summary>The role table, as a table: every RPC of the contract × every role.</summary>
public sealed class RpcPermissionsTests
{
    // A = admin, U = user, R = runner, V = viewer: who may call it. Row-level rules (own tasks,
    // the bound node) are TaskAccess's and are tested there and through the Host.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["riverrun.v1.Tasks/Submit"] = "AU",
        ["riverrun.v1.Tasks/Get"] = "AUV",
        ["riverrun.v1.Tasks/List"] = "AUV",
        ["riverrun.v1.Tasks/WatchOutput"] = "AUV",
        ["riverrun.v1.Tasks/Kill"] = "AU",
        ["riverrun.v1.Tasks/Pause"] = "AU",
        ["riverrun.v1.Tasks/Resume"] = "AU",
        ["riverrun.v1.Nodes/List"] = "AUV",
        ["riverrun.v1.Runners/Connect"] = "AR",
        ["riverrun.v1.Tokens/Create"] = "A",
        ["riverrun.v1.Tokens/List"] = "A",
        ["riverrun.v1.Tokens/Revoke"] = "A",
    };

    /// <summary>Every method of every service in the contract, from the generated descriptors.</summary>
    public static IEnumerable<MethodDescriptor> AllMethods() =>
        new[] { V1.Tasks.Descriptor, V1.Nodes.Descriptor, V1.Runners.Descriptor, V1.Tokens.Descriptor }.SelectMany(s => s.Methods);

    public static TheoryData<string, string, TokenRole> EveryRpcAndRole()
    {
        var data = new TheoryData<string, string, TokenRole>();
        foreach (var method in AllMethods())
        {
            foreach (var role in TokenRoles.All)
            {
                data.Add(method.Service.FullName, method.Name, role);
            }
        }

        return data;
    }

    [Fact]
    public void The_expected_table_names_every_RPC_of_the_contract_and_nothing_else()
    {
        var contract = AllMethods().Select(m => m.Service.FullName + "/" + m.Name).Order().ToList();
        Assert.Equal(12, contract.Count);
        Assert.Equal(contract, Expected.Keys.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(EveryRpcAndRole))]
    public void Each_role_may_call_exactly_the_RPCs_of_its_row(string service, string method, TokenRole role)
    {
        var letter = role switch { TokenRole.Admin => 'A', TokenRole.User => 'U', TokenRole.Runner => 'R', _ => 'V' };
        Assert.Equal(Expected[service + "/" + method].Contains(letter, StringComparison.Ordinal), RpcPermissions.Allows(role, service, method));
    }

    [Theory]
    [InlineData(TokenRole.User)]
    [InlineData(TokenRole.Runner)]
    [InlineData(TokenRole.Viewer)]
    public void A_method_missing_from_the_table_is_refused_to_all_but_admins(TokenRole role)
    {
        Assert.False(RpcPermissions.Allows(role, "riverrun.v1.Tasks", "Delete"));
        Assert.True(RpcPermissions.Allows(TokenRole.Admin, "riverrun.v1.Tasks", "Delete"));
    }

    [Fact]
    public void Method_names_are_compared_exactly_so_other_letter_case_matches_nothing()
    {
        Assert.False(RpcPermissions.Allows(TokenRole.Runner, "RIVERRUN.V1.RUNNERS", "CONNECT"));
        Assert.False(RpcPermissions.Allows(TokenRole.User, "riverrun.v1.tasks", "submit"));
    }
}
