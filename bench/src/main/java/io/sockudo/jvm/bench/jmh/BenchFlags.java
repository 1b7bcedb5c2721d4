package io.sockudo.jvm.bench.jmh;

/**
 * JVM flags of the benchmark forks: the module flags of the parent pom ({@code jvm.module.flags}, Agrona needs
 * {@code jdk.internal.misc} opened) and Agrona bounds checks disabled. Annotation values must be constants, so each
 * benchmark lists {@link #F1} to {@link #F11} and {@link #NO_BOUNDS_CHECKS} in its {@code @Fork(jvmArgsPrepend)}.
 */
final class BenchFlags
{
    static final String F1 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String F2 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String F3 = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    static final String F4 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    static final String F5 = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    static final String F6 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String F7 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String F8 = "--add-opens=java.base/java.io=ALL-UNNAMED";
    static final String F9 = "--add-opens=java.base/java.util=ALL-UNNAMED";
    static final String F10 = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String F11 = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    private BenchFlags()
    {
    }
}
