package dev.berth.agent.sys;

import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * libnftables, the library the {@code nft} program is a front end of, called in-process (the
 * firewall's door to nftables, see {@code firewall.Nft}): the same
 * parser and the same one-transaction batches, without starting a program for every change (a
 * container start's rules are on its critical path). One context per call, under one lock: a
 * context is not meant for two threads, and the firewall's calls are few.
 */
public final class NftablesLibrary {
    /** {@code NFT_CTX_OUTPUT_JSON} and {@code NFT_CTX_OUTPUT_TERSE} from nftables/libnftables.h. */
    public static final int OUTPUT_JSON = 1 << 4;
    public static final int OUTPUT_TERSE = 1 << 11;
    private static final int NFT_CTX_DEFAULT = 0;

    /** The calls used, as libnftables(3) declares them. */
    public interface Lib {
        Pointer nft_ctx_new(int flags);

        void nft_ctx_free(Pointer ctx);

        int nft_ctx_buffer_output(Pointer ctx);

        int nft_ctx_buffer_error(Pointer ctx);

        String nft_ctx_get_output_buffer(Pointer ctx);

        String nft_ctx_get_error_buffer(Pointer ctx);

        void nft_ctx_output_set_flags(Pointer ctx, int flags);

        int nft_run_cmd_from_buffer(Pointer ctx, String buffer);
    }

    private final Lib lib;

    private NftablesLibrary(Lib lib) {
        this.lib = lib;
    }

    /** The library when this host has it (Debian's nftables package depends on it); empty otherwise. */
    public static Optional<NftablesLibrary> load() {
        try {
            return Optional.of(new NftablesLibrary(LibraryLoader.create(Lib.class).failImmediately().load("nftables")));
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What one run returned ({@code exit} 0 is success) and printed. */
    public record Result(int exit, String output, String error) {
    }

    /** Runs {@code commands} (what {@code nft -f -} would read) with the output flags given. */
    public synchronized Result run(String commands, int outputFlags) {
        Pointer ctx = lib.nft_ctx_new(NFT_CTX_DEFAULT);
        if (ctx == null) return new Result(1, "", "libnftables could not make a context");
        try {
            lib.nft_ctx_output_set_flags(ctx, outputFlags);
            if (lib.nft_ctx_buffer_output(ctx) != 0 || lib.nft_ctx_buffer_error(ctx) != 0) {
                return new Result(1, "", "libnftables could not buffer its output");
            }
            int rc = lib.nft_run_cmd_from_buffer(ctx, commands);
            return new Result(rc, orEmpty(lib.nft_ctx_get_output_buffer(ctx)), orEmpty(lib.nft_ctx_get_error_buffer(ctx)));
        } finally {
            lib.nft_ctx_free(ctx);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
