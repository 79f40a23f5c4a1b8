using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Tests;

public sealed class InventoryParserTests
{
    private const string MemInfo = """
        MemTotal:       16318412 kB
        MemFree:         1202344 kB
        MemAvailable:    9876543 kB
        Buffers:          345678 kB
        """;

    [Fact]
    public void The_one_minute_load_average_is_the_first_field_of_loadavg()
    {
        Assert.Equal(0.52, ProcParsers.ParseLoadAverage("0.52 0.58 0.59 1/467 12345\n"));
    }

    [Fact]
    public void Meminfo_values_are_read_in_bytes_and_used_memory_is_total_minus_available()
    {
        Assert.Equal(16318412L * 1024, ProcParsers.ParseMemInfoBytes(MemInfo, "MemTotal"));
        Assert.Equal((16318412L - 9876543L) * 1024, ProcParsers.ParseMemoryUsed(MemInfo));
    }

    [Fact]
    public void A_NUMA_nodes_meminfo_with_its_Node_prefix_is_read_too()
    {
        const string NodeMemInfo = "Node 1 MemTotal:       8159206 kB\nNode 1 MemFree:        1000000 kB\n";

        Assert.Equal(8159206L * 1024, ProcParsers.ParseMemInfoBytes(NodeMemInfo, "MemTotal"));
    }

    [Fact]
    public void CPU_busy_cores_come_from_the_change_of_the_proc_stat_counters()
    {
        var before = ProcParsers.ParseCpuTimes("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n");
        var after = ProcParsers.ParseCpuTimes("cpu  300 0 200 900 100 0 0 0 50 0\nintr 1 2 3\n");

        Assert.NotNull(before);
        Assert.NotNull(after);
        // 300 busy ticks of 500 on a 4-core machine: 60 % of 4 cores. Guest time is not counted twice.
        Assert.Equal(2.4, after.Value.CoresBusySince(before.Value, 4), precision: 6);
    }

    [Fact]
    public void Counters_that_did_not_move_report_no_CPU_use()
    {
        var sample = ProcParsers.ParseCpuTimes("cpu  1 2 3 4 5 6 7 8\n")!.Value;

        Assert.Equal(0, sample.CoresBusySince(sample, 8));
    }

    [Theory]
    [InlineData("0-3,8-11\n", 8)]
    [InlineData("0", 1)]
    [InlineData("0-63", 64)]
    public void A_cpu_list_counts_its_cpus(string list, int expected)
    {
        Assert.Equal(expected, ProcParsers.CountCpuList(list));
    }

    [Fact]
    public void A_malformed_cpu_list_is_not_counted()
    {
        Assert.Null(ProcParsers.CountCpuList("3-1"));
        Assert.Null(ProcParsers.CountCpuList("a-b"));
    }

    [Fact]
    public void An_nvidia_information_file_gives_the_GPUs_minor_number_and_model()
    {
        const string Information = """
            Model: 		 NVIDIA GeForce RTX 3090
            IRQ:   		 145
            GPU UUID: 	 GPU-7a8b...
            Video BIOS: 	 94.02.42.00.a9
            Bus Type: 	 PCIe
            DMA Size: 	 47 bits
            DMA Mask: 	 0x7fffffffffff
            Bus Location: 	 0000:41:00.0
            Device Minor: 	 1
            """;

        Assert.Equal((1, "NVIDIA GeForce RTX 3090"), ProcParsers.ParseNvidiaGpuInformation(Information));
    }

    [Fact]
    public void The_inventory_reads_cores_memory_NUMA_nodes_and_GPUs_from_a_root_of_sample_files()
    {
        using var root = new TempDirectory();
        Write(root, "proc/meminfo", MemInfo);
        Write(root, "sys/devices/system/cpu/online", "0-7\n");
        Write(root, "sys/devices/system/node/node0/cpulist", "0-3\n");
        Write(root, "sys/devices/system/node/node0/meminfo", "Node 0 MemTotal:       8000000 kB\n");
        Write(root, "sys/devices/system/node/node1/cpulist", "4-7\n");
        Write(root, "sys/devices/system/node/node1/meminfo", "Node 1 MemTotal:       8000000 kB\n");
        Directory.CreateDirectory(root.Combine("sys/devices/system/node/power"));
        Write(root, "proc/driver/nvidia/gpus/0000:41:00.0/information", "Model: \t A100\nDevice Minor: \t 0\n");

        var inventory = new NodeInventoryReader(root.Path).Read("node1", 252, 1);

        Assert.Equal(8, inventory.LogicalCores);
        Assert.Equal(16318412L * 1024, inventory.MemoryBytes);
        Assert.Equal([(0, "0-3", 8000000L * 1024), (1, "4-7", 8000000L * 1024)], inventory.NumaNodes.Select(n => (n.Index, n.Cpus, n.MemoryBytes)));
        Assert.Equal([(0, "A100")], inventory.Gpus.Select(g => (g.Index, g.Name)));
        Assert.Equal(252, inventory.SystemdVersion);
    }

    [Fact]
    public void A_machine_without_the_nvidia_driver_has_no_GPUs()
    {
        using var root = new TempDirectory();
        Write(root, "proc/meminfo", MemInfo);

        var inventory = new NodeInventoryReader(root.Path).Read("node1", 252, 2);

        Assert.Empty(inventory.Gpus);
        Assert.Empty(inventory.NumaNodes);
        Assert.True(inventory.LogicalCores > 0);
    }

    [Fact]
    public void The_usage_sampler_reports_load_memory_and_CPU_from_proc()
    {
        using var root = new TempDirectory();
        Write(root, "proc/loadavg", "1.25 0.5 0.25 2/100 999\n");
        Write(root, "proc/meminfo", MemInfo);
        Write(root, "proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\n");
        var sampler = new UsageSampler(2, root.Path);
        Write(root, "proc/stat", "cpu  200 0 100 900 0 0 0 0 0 0\n");

        var usage = sampler.Sample();

        Assert.Equal(1.25, usage.LoadAverage1M);
        Assert.Equal((16318412L - 9876543L) * 1024, usage.MemoryUsedBytes);
        Assert.Equal(1.0, usage.CpuCoresBusy, precision: 6);
    }

    private static void Write(TempDirectory root, string relative, string text)
    {
        var path = root.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
