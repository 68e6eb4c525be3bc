package org.teledeploy.admin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.teledeploy.TeledeployServer;
import org.teledeploy.deploy.DeploymentQueries;
import org.teledeploy.deploy.PackageStatistics;
import org.teledeploy.packages.ImportOutcome;
import org.teledeploy.packages.PackageException;
import org.teledeploy.deploy.Activation;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;

/**
 * The package calls of the admin API: list, create (from an upload, a file or a directory on the server, or
 * nothing), show, edit, delete, activate, deactivate, OCS import, statistics and the devices behind them. Builds
 * and imports run on the package executor, reads on the store's readers; nothing here blocks.
 */
final class PackagesApi {

    private final TeledeployServer server;
    private final UploadStore uploads;

    PackagesApi(TeledeployServer server, UploadStore uploads) {
        this.server = server;
        this.uploads = uploads;
    }

    CompletableFuture<ApiResponse> list(ApiRequest request) {
        List<PackageRecord> all = server.packages().list();
        return server.queries().activations().thenApply(activations -> {
            List<Map<String, Object>> out = new ArrayList<>(all.size());
            for (PackageRecord r : all) {
                out.add(view(r, Optional.ofNullable(activations.get(r.id()))));
            }
            return ApiResponse.ok(out);
        });
    }

    CompletableFuture<ApiResponse> create(ApiRequest request) {
        Requests.CreatePackage body = request.body(Requests.CreatePackage.class);
        PackageSpec spec = body.spec();
        Requests.Source source = body.source();
        if (source instanceof Requests.Source.Upload upload) {
            return uploads.claim(upload.token()).thenCompose(file -> server.packages()
                    .build(spec, new PackageSource.Archive(file))
                    .handle((r, e) -> {
                        uploads.consumed(file);
                        if (e != null) {
                            throw fromUpload(e, file, upload.token());
                        }
                        return ApiResponse.created(view(r, Optional.empty()));
                    }));
        }
        PackageSource from;
        if (source instanceof Requests.Source.File file) {
            from = new PackageSource.Archive(file.path());
        } else if (source instanceof Requests.Source.Dir dir) {
            from = new PackageSource.Directory(dir.path());
        } else {
            from = new PackageSource.None();
        }
        return server.packages().build(spec, from).thenApply(r -> ApiResponse.created(view(r, Optional.empty())));
    }

    CompletableFuture<ApiResponse> show(ApiRequest request) {
        PackageRecord record = require(request.param("id"));
        return withActivation(record);
    }

    CompletableFuture<ApiResponse> edit(ApiRequest request) {
        String id = require(request.param("id")).id();
        Requests.PatchPackage patch = request.body(Requests.PatchPackage.class);
        return server.packages().edit(id, patch::over).thenCompose(this::withActivation);
    }

    CompletableFuture<ApiResponse> delete(ApiRequest request) {
        return server.deletePackage(request.param("id"))
                .thenApply(r -> ApiResponse.ok(view(r, Optional.empty())));
    }

    CompletableFuture<ApiResponse> activate(ApiRequest request) {
        PackageRecord record = require(request.param("id"));
        Requests.Activate body = request.bodyOr(Requests.Activate.class, () -> new Requests.Activate(null, null));
        return server.activation().activate(record.id(), Optional.ofNullable(body.infoUrl()),
                Optional.ofNullable(body.fragUrl()))
                .thenApply(a -> ApiResponse.ok(view(record, Optional.of(a))));
    }

    CompletableFuture<ApiResponse> deactivate(ApiRequest request) {
        PackageRecord record = require(request.param("id"));
        if (request.body().length > 0) {
            request.body(NoBody.class);
        }
        return server.deployments().deactivate(record.id())
                .thenApply(wasActive -> ApiResponse.ok(view(record, Optional.empty())));
    }

    /** An empty JSON object: what bodyless calls accept besides no body at all. */
    record NoBody() {}

    /**
     * Imports an OCS download directory. A directory of packages answers one outcome per package; when {@code dir}
     * is itself one package directory that is not imported, the call fails with that package's status.
     */
    CompletableFuture<ApiResponse> importOcs(ApiRequest request) {
        Path dir = request.body(Requests.Import.class).path();
        return server.packages().importOcs(dir).thenApply(outcomes -> {
            if (outcomes.size() == 1 && dir.getFileName() != null
                    && outcomes.get(0).id().equals(dir.getFileName().toString())
                    && outcomes.get(0).imported().isEmpty()) {
                ImportOutcome failed = outcomes.get(0);
                throw new PackageException(failed.errorKind().orElse(PackageException.Kind.INVALID),
                        failed.error().orElse("not imported"));
            }
            List<Map<String, Object>> out = new ArrayList<>(outcomes.size());
            for (ImportOutcome o : outcomes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", o.id());
                m.put("imported", o.imported().map(r -> view(r, Optional.empty())).orElse(null));
                m.put("error", o.error().orElse(null));
                out.add(m);
            }
            return ApiResponse.ok(out);
        });
    }

    CompletableFuture<ApiResponse> statistics(ApiRequest request) {
        String id = require(request.param("id")).id();
        return server.queries().statistics(id).thenApply(s -> ApiResponse.ok(Views.statistics(s)));
    }

    CompletableFuture<ApiResponse> devices(ApiRequest request) {
        String id = require(request.param("id")).id();
        String raw = request.query("bucket").orElseThrow(() -> ApiException.badRequest(
                "bucket: missing (expected: waiting, notified, success, error or other)"));
        PackageStatistics.Bucket bucket;
        try {
            bucket = PackageStatistics.Bucket.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bucket: " + raw + " (expected: waiting, notified, success, error or other)");
        }
        return server.queries().devices(id, bucket).thenApply(states -> {
            List<Map<String, Object>> out = new ArrayList<>(states.size());
            for (DeploymentQueries.DeviceState s : states) {
                out.add(Views.deviceState(s));
            }
            return ApiResponse.ok(out);
        });
    }

    /** A build failure that names the upload's file on the server names the upload instead. */
    private static RuntimeException fromUpload(Throwable failure, Path file, String token) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof PackageException pe && pe.getMessage().contains(file.toString())) {
            return new PackageException(pe.kind(), pe.getMessage().replace("file: " + file, "upload: " + token)
                    .replace(file.toString(), "upload " + token), pe);
        }
        return cause instanceof RuntimeException re ? re : new CompletionException(cause);
    }

    private CompletableFuture<ApiResponse> withActivation(PackageRecord record) {
        return server.queries().activation(record.id()).thenApply(a -> ApiResponse.ok(view(record, a)));
    }

    /** The package, or 404. */
    PackageRecord require(String id) {
        return server.packages().get(id).orElseThrow(() -> ApiException.notFound("no package " + id));
    }

    /** The Package object, with the fragments currently found corrupt on disk. */
    private Map<String, Object> view(PackageRecord r, Optional<Activation> activation) {
        return Views.pkg(r, activation, server.packages().corruptFragments(r.id()));
    }
}
