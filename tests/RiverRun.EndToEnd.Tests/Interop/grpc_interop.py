#!/usr/bin/python3
"""Calls a RiverRun Host from gRPC's own Python implementation (grpcio, C-core), not RiverRun's.

Usage: grpc_interop.py HOST:PORT NODE REPO_ROOT

Generates message classes from protos/ at run time (Debian's protoc), then checks, printing one
line per check and exiting non-zero at the first failure:
  1. grpc.health.v1.Health/Check answers SERVING;
  2. server reflection lists riverrun.v1.Tasks (and the other services) and returns the file
     that defines it, with Submit and WatchOutput in it;
  3. Tasks/Submit runs a task on NODE that writes 1 MiB of every byte value to stdout and
     non-UTF-8 bytes to stderr; Tasks/WatchOutput (follow) returns both streams byte for byte,
     at contiguous offsets, and ends with the task SUCCEEDED and exit code 0.
"""
import os
import subprocess
import sys
import tempfile

import grpc


def generate(repo_root, out_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    protos = [os.path.join(repo_root, "protos", "riverrun", "v1", name)
              for name in ("common.proto", "tasks.proto", "nodes.proto", "runner.proto")]
    standard = [os.path.join(here, "protos", "grpc", "health", "v1", "health.proto"),
                os.path.join(here, "protos", "grpc", "reflection", "v1alpha", "reflection.proto")]
    subprocess.run(["/usr/bin/protoc", "-I" + os.path.join(repo_root, "protos"), "--python_out=" + out_dir] + protos, check=True)
    # Rooted one level up, so the standard protos become the Python package "protos.grpc...":
    # a top-level "grpc" would collide with grpcio's own module.
    subprocess.run(["/usr/bin/protoc", "-I" + here, "--python_out=" + out_dir] + standard, check=True)
    sys.path.insert(0, out_dir)


def check(condition, what):
    if not condition:
        print("FAIL " + what, flush=True)
        sys.exit(1)
    print("ok   " + what, flush=True)


def main():
    address, node, repo_root = sys.argv[1], sys.argv[2], sys.argv[3]
    # The token comes from the environment, never from argv (every user sees that in ps); it
    # goes as call metadata, the way any gRPC client sends a bearer token.
    token = os.environ.get("RIVERRUN_TOKEN", "")
    metadata = [("authorization", "Bearer " + token)] if token else []
    with tempfile.TemporaryDirectory() as out_dir:
        generate(repo_root, out_dir)
        from google.protobuf import descriptor_pb2
        from protos.grpc.health.v1 import health_pb2
        from protos.grpc.reflection.v1alpha import reflection_pb2
        from riverrun.v1 import common_pb2, tasks_pb2

        # TLS is on in the sandbox: trust only the sandbox's CA (RIVERRUN_CA), as riverrun --ca does.
        ca = os.environ.get("RIVERRUN_CA", "")
        if ca:
            with open(ca, "rb") as ca_file:
                channel = grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=ca_file.read()))
        else:
            channel = grpc.insecure_channel(address)
        grpc.channel_ready_future(channel).result(timeout=30)

        # 1. Health
        health_check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)
        status = health_check(health_pb2.HealthCheckRequest(service=""), timeout=30).status
        check(status == health_pb2.HealthCheckResponse.SERVING,
              "Health/Check answers SERVING (got %s)" % health_pb2.HealthCheckResponse.ServingStatus.Name(status))

        # 2. Reflection
        reflect = channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
        requests = [reflection_pb2.ServerReflectionRequest(list_services=""),
                    reflection_pb2.ServerReflectionRequest(file_containing_symbol="riverrun.v1.Tasks")]
        listed, files = list(reflect(iter(requests), timeout=30))
        services = sorted(s.name for s in listed.list_services_response.service)
        print("     reflection lists: " + ", ".join(services), flush=True)
        check({"riverrun.v1.Tasks", "riverrun.v1.Nodes", "riverrun.v1.Runners", "grpc.health.v1.Health"} <= set(services),
              "reflection lists riverrun.v1.Tasks, Nodes, Runners and grpc.health.v1.Health")
        methods = set()
        for raw in files.file_descriptor_response.file_descriptor_proto:
            descriptor = descriptor_pb2.FileDescriptorProto.FromString(raw)
            for service in descriptor.service:
                if descriptor.package == "riverrun.v1" and service.name == "Tasks":
                    methods = {m.name for m in service.method}
        check({"Submit", "WatchOutput"} <= methods,
              "reflection describes riverrun.v1.Tasks with Submit and WatchOutput (got %s)" % sorted(methods))

        # 3. Submit and WatchOutput
        expected_stdout = bytes(range(256)) * 4096
        expected_stderr = b"not utf-8: \xff\xfe\xc0\n"
        program = ("import sys; sys.stdout.buffer.write(bytes(range(256)) * 4096); "
                   "sys.stderr.buffer.write(b'not utf-8: \\xff\\xfe\\xc0\\n')")
        spec = common_pb2.TaskSpec(argv=["/usr/bin/python3", "-c", program])
        submit = channel.unary_unary(
            "/riverrun.v1.Tasks/Submit",
            request_serializer=tasks_pb2.SubmitRequest.SerializeToString,
            response_deserializer=tasks_pb2.SubmitResponse.FromString)
        request = tasks_pb2.SubmitRequest(spec=spec, targets=[common_pb2.TargetSelector(node=node)])
        if token:
            try:
                submit(request, timeout=30)
                check(False, "Submit without the token is refused")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNAUTHENTICATED,
                      "Submit without the token is refused UNAUTHENTICATED (got %s)" % error.code())
        submitted = submit(request, timeout=30, metadata=metadata)
        check(len(submitted.tasks) == 1, "Submit created one task")
        task_id = submitted.tasks[0].id
        print("     task " + task_id, flush=True)

        watch = channel.unary_stream(
            "/riverrun.v1.Tasks/WatchOutput",
            request_serializer=tasks_pb2.WatchOutputRequest.SerializeToString,
            response_deserializer=tasks_pb2.WatchOutputResponse.FromString)
        received = {common_pb2.OUTPUT_STREAM_STDOUT: bytearray(), common_pb2.OUTPUT_STREAM_STDERR: bytearray()}
        last = None
        for event in watch(tasks_pb2.WatchOutputRequest(task_id=task_id, follow=True), timeout=120, metadata=metadata):
            if event.HasField("output"):
                chunk = event.output
                stream = received[chunk.stream]
                if chunk.offset != len(stream):
                    check(False, "chunks arrive at contiguous offsets (stream %d: %d bytes so far, chunk at %d)"
                          % (chunk.stream, len(stream), chunk.offset))
                stream.extend(chunk.data)
            else:
                last = event.task
        check(last is not None and last.state == common_pb2.TASK_STATE_SUCCEEDED,
              "the watch ends with the task SUCCEEDED (got %s)" % (common_pb2.TaskState.Name(last.state) if last else None))
        check(last.exit.exit_code == 0, "the task's exit code is 0")
        check(bytes(received[common_pb2.OUTPUT_STREAM_STDOUT]) == expected_stdout,
              "stdout arrived byte for byte (%d bytes)" % len(received[common_pb2.OUTPUT_STREAM_STDOUT]))
        check(bytes(received[common_pb2.OUTPUT_STREAM_STDERR]) == expected_stderr,
              "stderr arrived byte for byte, non-UTF-8 included")
        print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
