/**
 * The entry script the manifest executor runs in the CDK's venv: `python <this> <manifest.yaml>
 * <components.py|-> <airbyte args>`. The CDK's `source-declarative-manifest` takes a manifest file with
 * `--manifest-path` for check, discover and read, but answers `spec` with its own generic spec (the one
 * that asks for an injected manifest); the connector's spec lives in the manifest, so `spec` is
 * answered here, by the same source class the runner builds. Kept in step with the pinned CDK version.
 */
export const MANIFEST_RUNNER = `"""Written by airdock: runs a declarative manifest with the Python CDK's source-declarative-manifest."""
import sys

from airbyte_cdk.cli.source_declarative_manifest import _run as sdm


def main() -> None:
    manifest_path, components_path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if args[:1] == ["spec"]:
        from airbyte_cdk.entrypoint import launch
        from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource

        if components_path != "-":
            sdm._register_components_from_file(components_path)
        launch(ConcurrentDeclarativeSource(source_config=sdm._parse_manifest_from_file(manifest_path)), args)
        return
    extra = ["--manifest-path", manifest_path]
    if components_path != "-":
        extra += ["--components-path", components_path]
    sdm.handle_remote_manifest_command([*args, *extra])


if __name__ == "__main__":
    main()
`;
