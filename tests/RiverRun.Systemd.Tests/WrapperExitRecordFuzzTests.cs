using CsCheck;

namespace RiverRun.Systemd.Tests;

/// <summary>
/// Fuzzing the wrapper's exit record (the spool's <c>exit</c> file, which the task's own user can
/// write): 10,000 generated files, each a record or a FormatException, never anything else.
/// </summary>
public sealed class WrapperExitRecordFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 10_000;

    [Fact]
    public void Any_exit_file_parses_to_a_record_or_a_format_error()
    {
        var key = Gen.Frequency(
            (6, Gen.OneOf("status", "oom_kill", "error", "oom_source", "cpu_usec", "memory_peak")),
            (1, FuzzInputs.InterestingText));
        var value = FuzzInputs.Text("0", "3", "137", "255", "18446744073709551615", "9223372036854775807", "-1", "12345678901234567890", "/sys/fs/cgroup/x");
        var line = Gen.Frequency(
            (8, Gen.Select(key, value, (k, v) => $"{k}={v}")),
            (1, FuzzInputs.InterestingText));
        var file = Gen.Frequency(
            (8, Gen.Select(line.Array[0, 8], Gen.OneOf("\n", "\r\n"), (lines, end) => string.Join(end, lines) + end)),
            (1, FuzzInputs.AnyText));
        var count = 0;
        var records = 0;

        file.Sample(
            text =>
            {
                count++;
                try
                {
                    var record = WrapperExitRecord.Parse(text);
                    records++;
                    Assert.True(record.RawStatus is not null || record.Error is not null);
                    Assert.True(record.ExitCode is null || record.Signal is null);
                    Assert.True(record.CpuTime is null || record.CpuTime >= TimeSpan.Zero);
                }
                catch (FormatException ex)
                {
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                }
            },
            iter: Cases,
            threads: 1);

        output.WriteLine($"WrapperExitRecord.Parse: {count} generated exit files, {records} read as records, the rest refused with a FormatException");
        Assert.True(count >= Cases && records > 0, $"{count} cases, {records} records");
    }
}
