using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RiverRun.Core;

/// <summary>
/// Where a task must run: a node, optionally narrowed to one NUMA node and/or some of its GPUs.
/// Text form (<c>--target</c>): "node1", "node1:0" (NUMA node 0), "node1::0,1" (GPUs 0 and 1),
/// "node1:0:1" (NUMA node 0 and GPU 1).
/// </summary>
/// <remarks>
/// A selector is always valid once constructed (the constructor checks what the parser checks),
/// so code holding one never re-validates. "No target" is a null selector, not an empty node.
/// GPUs keep the order given, since that order becomes the task's device numbering.
/// </remarks>
public sealed record TargetSelector
{
    /// <summary>The expected text forms, for error messages.</summary>
    public const string Syntax = "NODE, NODE:NUMA, NODE::GPU[,GPU...] or NODE:NUMA:GPU[,GPU...] (e.g. node1, node1:0, node1::0,1, node1:0:1)";

    /// <summary>A selector; throws <see cref="ArgumentException"/> for an invalid node name, a negative index or a repeated GPU.</summary>
    public TargetSelector(string node, int? numaNode = null, IEnumerable<int>? gpus = null)
    {
        if (NodeName.Validate(node) is { } nodeError)
        {
            throw new ArgumentException(nodeError, nameof(node));
        }

        if (numaNode is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numaNode), numaNode, "a NUMA node index must not be negative");
        }

        var gpuList = gpus?.ToArray() ?? [];
        if (gpuList.FirstOrDefault(gpu => gpu < 0) is var negative && negative < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gpus), negative, "a GPU index must not be negative");
        }

        if (gpuList.GroupBy(gpu => gpu).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"GPU {repeated.Key} is listed more than once", nameof(gpus));
        }

        Node = node;
        NumaNode = numaNode;
        Gpus = gpuList;
    }

    /// <summary>The node (Runner) name.</summary>
    public string Node { get; }

    /// <summary>The NUMA node to pin CPUs and memory to, if any.</summary>
    public int? NumaNode { get; }

    /// <summary>The GPU indices to hand to the task, in the order given; empty for none.</summary>
    public IReadOnlyList<int> Gpus { get; }

    /// <summary>Parses the text form, throwing <see cref="FormatException"/> whose message shows the expected syntax.</summary>
    public static TargetSelector Parse(string text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    /// <summary>Parses the text form; on failure <paramref name="error"/> says what is wrong and shows the expected syntax.</summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out TargetSelector? target,
        [NotNullWhen(false)] out string? error) =>
        TargetSelectorParser.TryParse(text, out target, out error);

    /// <summary>The text form, which <see cref="Parse"/> reads back to an equal selector.</summary>
    public override string ToString()
    {
        var numa = NumaNode?.ToString(CultureInfo.InvariantCulture);
        if (Gpus.Count == 0)
        {
            return numa is null ? Node : $"{Node}:{numa}";
        }

        var gpus = string.Join(',', Gpus.Select(gpu => gpu.ToString(CultureInfo.InvariantCulture)));
        return $"{Node}:{numa}:{gpus}";
    }

    // Value equality including the GPU list (a record alone would compare the list by reference).
    public bool Equals(TargetSelector? other) =>
        other is not null
        && string.Equals(Node, other.Node, StringComparison.Ordinal)
        && NumaNode == other.NumaNode
        && Gpus.SequenceEqual(other.Gpus);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Node, StringComparer.Ordinal);
        hash.Add(NumaNode);
        foreach (var gpu in Gpus)
        {
            hash.Add(gpu);
        }

        return hash.ToHashCode();
    }
}
