package io.kvmtune.linux.lib;

import static io.kvmtune.linux.lib.kvmtune_linux_h.C_INT;
import static io.kvmtune.linux.lib.kvmtune_linux_h.C_LONG;
import static io.kvmtune.linux.lib.kvmtune_linux_h.C_POINTER;
import static io.kvmtune.linux.lib.kvmtune_linux_h.SYMBOL_LOOKUP;
import static io.kvmtune.linux.lib.kvmtune_linux_h.findOrThrow;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The downcalls jextract cannot generate: those that capture {@code errno}
 * ({@code Linker.Option.captureCallState}, which jextract has no option for), those marked
 * {@code critical}, those that fall back to {@code syscall(2)} when libc lacks the wrapper
 * (no {@code pidfd_open} before glibc 2.36, no {@code gettid} before 2.30), and the scheduling
 * and file calls ({@code openat}, {@code read}, {@code getdents64}, {@code close},
 * {@code ioctl}), always made through {@code syscall(2)}. Kept apart from {@link kvmtune_linux_h} so that
 * regenerating that class cannot clobber them; shaped the same way, one lazily linked holder per
 * function.
 *
 * <p>Every errno-capturing function takes a call-state segment first
 * ({@link #allocateCallState}); the caller owns it, per call or per thread, never shared, and
 * reads it with {@link #errno} only when the call returned -1 (it is stale otherwise).
 *
 * <p>Arguments to {@code syscall(2)} all travel as 64-bit values, pointers as their address:
 * the x86-64 ABI leaves the upper half of a 32-bit variadic argument undefined, and glibc copies
 * whole registers. Pointer arguments must therefore be native segments whose arena the caller
 * keeps open for the duration of the call.
 */
public final class LinuxCalls {

    private LinuxCalls() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

    // Built on the first failed call, not with this class: deriving a VarHandle from a layout path
    // spins method handles, ~7 ms of a cold JVM's start-up (the libvirt hook, `kvmtune apply`).
    private static final class ErrnoHandle {
        static final VarHandle HANDLE = CALL_STATE.varHandle(groupElement("errno"));
    }

    /** A call-state segment for the errno-capturing functions of this class. */
    public static MemorySegment allocateCallState(SegmentAllocator allocator) {
        return allocator.allocate(CALL_STATE);
    }

    /** The errno captured in {@code callState} by the last call that used it. */
    public static int errno(MemorySegment callState) {
        return (int) ErrnoHandle.HANDLE.get(callState, 0L);
    }

    // ---- syscall(2), one handle per number of arguments

    private static FunctionDescriptor syscallDescriptor(int arity) {
        MemoryLayout[] args = new MemoryLayout[arity + 1];
        Arrays.fill(args, C_LONG);
        return FunctionDescriptor.of(C_LONG, args);
    }

    private static MethodHandle linkSyscall(int arity) {
        return LINKER.downcallHandle(findOrThrow("syscall"), syscallDescriptor(arity),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    private static final class syscall0 {
        static final MethodHandle HANDLE = linkSyscall(0);
    }

    private static final class syscall1 {
        static final MethodHandle HANDLE = linkSyscall(1);
    }

    private static final class syscall2 {
        static final MethodHandle HANDLE = linkSyscall(2);
    }

    private static final class syscall3 {
        static final MethodHandle HANDLE = linkSyscall(3);
    }

    private static final class syscall4 {
        static final MethodHandle HANDLE = linkSyscall(4);
    }

    /** {@code long syscall(long number, ...)} with {@code arity} arguments after the number, errno captured. */
    static MethodHandle syscall(int arity) {
        return switch (arity) {
            case 0 -> syscall0.HANDLE;
            case 1 -> syscall1.HANDLE;
            case 2 -> syscall2.HANDLE;
            case 3 -> syscall3.HANDLE;
            case 4 -> syscall4.HANDLE;
            default -> throw new IllegalArgumentException("no syscall handle for " + arity + " arguments");
        };
    }

    /**
     * Links libc's {@code symbol} with errno capture, or, when this libc lacks it, the system call
     * {@code number} through {@code syscall(2)}, adapted to the same Java type: the presence of
     * the symbol is the feature test. The fallback only fits wrappers that, like the system
     * call, return -1 and set errno.
     */
    static MethodHandle linkOrSyscall(String symbol, FunctionDescriptor desc,
            ToLongFunction<SyscallNumbers> number) {
        MethodType type = desc.toMethodType().insertParameterTypes(0, MemorySegment.class);
        Optional<MemorySegment> wrapper = SYMBOL_LOOKUP.find(symbol);
        if (wrapper.isPresent()) {
            return LINKER.downcallHandle(wrapper.get(), desc, CAPTURE_ERRNO);
        }
        List<MemoryLayout> args = desc.argumentLayouts();
        MethodHandle handle = MethodHandles.insertArguments(
                syscall(args.size()), 1, number.applyAsLong(SyscallNumbers.current()));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof AddressLayout) {
                handle = MethodHandles.filterArguments(handle, 1 + i, SegmentAddress.HANDLE);
            }
        }
        // int arguments widen to long, the long result narrows to the wrapper's int
        return MethodHandles.explicitCastArguments(handle, type);
    }

    private static final class SegmentAddress {
        static final MethodHandle HANDLE;

        static {
            try {
                HANDLE = MethodHandles.lookup().findVirtual(
                        MemorySegment.class, "address", MethodType.methodType(long.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static AssertionError unreachable(Throwable t) {
        return new AssertionError("should not reach here", t);
    }

    // ---- <sched.h>: the four scheduling calls, always through syscall(2) and one shared handle
    //
    // Each distinct downcall shape costs a short-lived JVM its own linking, ~20-30 ms in the
    // interpreter, and a cold `kvmtune apply` or libvirt hook needs all four calls at once: as
    // system calls of four arguments (unused trailing ones 0, which the kernel never reads) they
    // share the one stub of syscall4. glibc has no sched_*attr wrapper before 2.41 anyway.

    /**
     * {@snippet lang=c :
     * syscall(SYS_sched_getaffinity, pid_t pid, size_t cpusetsize, unsigned long *mask)
     * }
     * Returns -1 on failure, else the number of bytes the kernel wrote, which may be fewer than
     * {@code cpusetsize}: unlike glibc's wrapper the system call leaves the rest of {@code mask}
     * as it was.
     */
    public static int sched_getaffinity(MemorySegment callState, int pid, long cpusetsize, MemorySegment mask) {
        return affinityCall(callState, SyscallNumbers.current().sched_getaffinity(), pid, cpusetsize, mask);
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_sched_setaffinity, pid_t pid, size_t cpusetsize, const unsigned long *mask)
     * }
     */
    public static int sched_setaffinity(MemorySegment callState, int pid, long cpusetsize, MemorySegment mask) {
        return affinityCall(callState, SyscallNumbers.current().sched_setaffinity(), pid, cpusetsize, mask);
    }

    private static int affinityCall(MemorySegment callState, long number, int pid, long cpusetsize, MemorySegment mask) {
        requireNative(mask);
        try {
            return schedCall(callState, number, pid, cpusetsize, mask.address(), 0L);
        } finally {
            Reference.reachabilityFence(mask);
        }
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_sched_setattr, pid_t pid, struct sched_attr *attr, unsigned int flags)
     * }
     */
    public static int sched_setattr(MemorySegment callState, int pid, MemorySegment attr, int flags) {
        requireNative(attr);
        try {
            return schedCall(callState, SyscallNumbers.current().sched_setattr(), pid, attr.address(),
                    Integer.toUnsignedLong(flags), 0L);
        } finally {
            Reference.reachabilityFence(attr);
        }
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_sched_getattr, pid_t pid, struct sched_attr *attr, unsigned int size, unsigned int flags)
     * }
     * The kernel writes its own {@code sched_attr} size into {@code attr->size}.
     */
    public static int sched_getattr(MemorySegment callState, int pid, MemorySegment attr, int size, int flags) {
        requireNative(attr);
        try {
            return schedCall(callState, SyscallNumbers.current().sched_getattr(), pid, attr.address(),
                    Integer.toUnsignedLong(size), Integer.toUnsignedLong(flags));
        } finally {
            Reference.reachabilityFence(attr);
        }
    }

    /** A scheduling system call's result, -1 or a non-negative int (a byte count at most). */
    private static int schedCall(MemorySegment callState, long number, int pid, long arg1, long arg2, long arg3) {
        try {
            return (int) (long) syscall4.HANDLE.invokeExact(callState, number, (long) pid, arg1, arg2, arg3);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static void requireNative(MemorySegment pointer) {
        if (!pointer.isNative()) {
            throw new IllegalArgumentException("syscall(2) needs a native segment, got " + pointer);
        }
    }

    // ---- <sys/mman.h>

    private static final class mlockall {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = linkOrSyscall("mlockall", DESC, SyscallNumbers::mlockall);
    }

    /**
     * {@snippet lang=c :
     * int mlockall(int flags)
     * }
     */
    public static int mlockall(MemorySegment callState, int flags) {
        try {
            return (int) mlockall.HANDLE.invokeExact(callState, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class munlockall {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = linkOrSyscall("munlockall", DESC, SyscallNumbers::munlockall);
    }

    /**
     * {@snippet lang=c :
     * int munlockall(void)
     * }
     */
    public static int munlockall(MemorySegment callState) {
        try {
            return (int) munlockall.HANDLE.invokeExact(callState);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    // ---- <sys/resource.h>

    private static final class prlimit {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = linkOrSyscall("prlimit", DESC, SyscallNumbers::prlimit64);
    }

    /**
     * {@snippet lang=c :
     * int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
     * }
     * Either limit may be {@code MemorySegment.NULL}.
     */
    public static int prlimit(MemorySegment callState, int pid, int resource, MemorySegment newLimit,
            MemorySegment oldLimit) {
        try {
            return (int) prlimit.HANDLE.invokeExact(callState, pid, resource, newLimit, oldLimit);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    // ---- <sys/pidfd.h>, <unistd.h>

    private static final class pidfd_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = linkOrSyscall("pidfd_open", DESC, SyscallNumbers::pidfd_open);
    }

    /**
     * {@snippet lang=c :
     * int pidfd_open(pid_t pid, unsigned int flags)
     * }
     */
    public static int pidfd_open(MemorySegment callState, int pid, int flags) {
        try {
            return (int) pidfd_open.HANDLE.invokeExact(callState, pid, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    // ---- <fcntl.h>, <sys/ioctl.h>: through the shared syscall4 stub, as the scheduling calls, so
    // that reading /dev/kvm in the libvirt hook links no downcall shape of its own.

    /**
     * {@snippet lang=c :
     * syscall(SYS_openat, int dirfd, const char *pathname, int flags)
     * }
     * Never creates a file (no mode). {@code path} must be a native, NUL-terminated segment.
     */
    public static int openat(MemorySegment callState, int dirfd, MemorySegment path, int flags) {
        requireNative(path);
        try {
            return (int) (long) syscall4.HANDLE.invokeExact(callState, SyscallNumbers.current().openat(), (long) dirfd,
                    path.address(), (long) flags, 0L);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_ioctl, int fd, unsigned long request, void *argp)
     * }
     * {@code argp} must be a native segment.
     */
    public static int ioctl(MemorySegment callState, int fd, long request, MemorySegment argp) {
        requireNative(argp);
        try {
            return (int) (long) syscall4.HANDLE.invokeExact(callState, SyscallNumbers.current().ioctl(), (long) fd,
                    request, argp.address(), 0L);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        } finally {
            Reference.reachabilityFence(argp);
        }
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_read, int fd, void *buf, size_t count)
     * }
     * {@code buf} must be a native segment of at least {@code count} bytes.
     */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        return bufferCall(callState, SyscallNumbers.current().read(), fd, buf, count, 0);
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_pread64, int fd, void *buf, size_t count, off_t offset)
     * }
     * {@code buf} must be a native segment of at least {@code count} bytes.
     */
    public static long pread(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        return bufferCall(callState, SyscallNumbers.current().pread64(), fd, buf, count, offset);
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_getdents64, int fd, void *dirp, size_t count)
     * }
     * {@code dirp} must be a native segment of at least {@code count} bytes; it receives
     * {@code struct linux_dirent64} records.
     */
    public static long getdents64(MemorySegment callState, int fd, MemorySegment dirp, long count) {
        return bufferCall(callState, SyscallNumbers.current().getdents64(), fd, dirp, count, 0);
    }

    /**
     * A call that fills a buffer from a file descriptor, through the shared syscall4 stub;
     * {@code last} is its fourth argument (pread64's offset), 0 where it takes three.
     */
    private static long bufferCall(MemorySegment callState, long number, int fd, MemorySegment buf, long count,
            long last) {
        requireNative(buf);
        if (count > buf.byteSize()) {
            throw new IllegalArgumentException(count + " bytes asked into a buffer of " + buf.byteSize());
        }
        try {
            return (long) syscall4.HANDLE.invokeExact(callState, number, (long) fd, buf.address(), count, last);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /**
     * {@snippet lang=c :
     * syscall(SYS_close, int fd)
     * }
     * Through the shared syscall4 stub: reading a /proc file in the libvirt hook then links no
     * downcall shape of its own.
     */
    public static int close(MemorySegment callState, int fd) {
        try {
            return (int) (long) syscall4.HANDLE.invokeExact(callState, SyscallNumbers.current().close(), (long) fd,
                    0L, 0L, 0L);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class gettid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        // cannot fail and never blocks, hence critical and no errno; the fallback needs neither either
        static final MethodHandle HANDLE = SYMBOL_LOOKUP.find("gettid")
                .map(address -> LINKER.downcallHandle(address, DESC, Linker.Option.critical(false)))
                .orElseGet(() -> MethodHandles.explicitCastArguments(
                        MethodHandles.insertArguments(LINKER.downcallHandle(findOrThrow("syscall"),
                                        FunctionDescriptor.of(C_LONG, C_LONG),
                                        Linker.Option.firstVariadicArg(1), Linker.Option.critical(false)),
                                0, SyscallNumbers.current().gettid()),
                        DESC.toMethodType()));
    }

    /**
     * {@snippet lang=c :
     * pid_t gettid(void)
     * }
     */
    public static int gettid() {
        try {
            return (int) gettid.HANDLE.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    // ---- <sys/socket.h>: the process events connector's socket (the agent only; never linked by a hook)

    private static final class socket {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(findOrThrow("socket"), DESC, CAPTURE_ERRNO);
    }

    /**
     * {@snippet lang=c :
     * int socket(int domain, int type, int protocol)
     * }
     */
    public static int socket(MemorySegment callState, int domain, int type, int protocol) {
        try {
            return (int) socket.HANDLE.invokeExact(callState, domain, type, protocol);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class bind {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(findOrThrow("bind"), DESC, CAPTURE_ERRNO);
    }

    /**
     * {@snippet lang=c :
     * int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)
     * }
     */
    public static int bind(MemorySegment callState, int sockfd, MemorySegment addr, int addrlen) {
        try {
            return (int) bind.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class setsockopt {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(findOrThrow("setsockopt"), DESC, CAPTURE_ERRNO);
    }

    /**
     * {@snippet lang=c :
     * int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)
     * }
     */
    public static int setsockopt(MemorySegment callState, int sockfd, int level, int optname, MemorySegment optval,
            int optlen) {
        try {
            return (int) setsockopt.HANDLE.invokeExact(callState, sockfd, level, optname, optval, optlen);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class send {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(findOrThrow("send"), DESC, CAPTURE_ERRNO);
    }

    /**
     * {@snippet lang=c :
     * ssize_t send(int sockfd, const void *buf, size_t len, int flags)
     * }
     */
    public static long send(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) send.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    private static final class recv {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(findOrThrow("recv"), DESC, CAPTURE_ERRNO);
    }

    /**
     * {@snippet lang=c :
     * ssize_t recv(int sockfd, void *buf, size_t len, int flags)
     * }
     * Blocks until a datagram arrives or the socket's {@code SO_RCVTIMEO} passes ({@code EAGAIN}).
     */
    public static long recv(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }

    // ---- <time.h>

    private static final class clock_gettime {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        // served by the vDSO without entering the kernel: critical saves the thread-state switch
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                findOrThrow("clock_gettime"), DESC, Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * int clock_gettime(clockid_t clockid, struct timespec *tp)
     * }
     * Cannot fail for a valid clock and a valid {@code tp}, so errno is not captured.
     */
    public static int clock_gettime(int clockid, MemorySegment tp) {
        try {
            return (int) clock_gettime.HANDLE.invokeExact(clockid, tp);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw unreachable(ex);
        }
    }
}
