using Grpc.Reflection;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>
/// grpc.reflection.v1alpha.ServerReflection over the services the Host maps, so grpcurl and any
/// gRPC client can discover them. The descriptors are named here rather than discovered:
/// Grpc.AspNetCore.Server.Reflection finds them by reflecting over the mapped service types, which
/// trimming cannot follow (IL2104 in the NativeAOT publish), while these are plain static fields.
/// A service mapped in <see cref="HostApplication"/> must be added here too.
/// </summary>
public sealed class ReflectionService() : ReflectionServiceImpl(
    V1.Tasks.Descriptor,
    V1.Nodes.Descriptor,
    V1.Runners.Descriptor,
    Grpc.Health.V1.Health.Descriptor,
    Grpc.Reflection.V1Alpha.ServerReflection.Descriptor);
