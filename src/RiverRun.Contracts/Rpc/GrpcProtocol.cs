namespace RiverRun.Contracts.Rpc;

/// <summary>The names and values of gRPC-over-HTTP/2 (grpc/doc/PROTOCOL-HTTP2.md) both ends use.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";

    /// <summary>
    /// True for "application/grpc" and "application/grpc+proto", with or without parameters.
    /// Other subtypes ("+json") name a codec we do not speak.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return mediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals(ContentType + "+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads a grpc-status value; numbers this code does not know count as Unknown, as the spec says.</summary>
    public static StatusCode ParseStatus(string? value)
    {
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number is >= 0 and <= (int)StatusCode.Unauthenticated)
        {
            return (StatusCode)number;
        }

        return StatusCode.Unknown;
    }

    /// <summary>The grpc-status header value of a code.</summary>
    public static string FormatStatus(StatusCode code) =>
        ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
