package org.teledeploy.lifecycle;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every
 * OpenJDK 17+), reached by reflection so that a JVM without it, or one started with {@code -Xrs}, degrades to the
 * JVM's defaults (SIGTERM runs the shutdown hooks and exits 143; SIGHUP stops the JVM) with one log line instead
 * of failing to start. Handlers run on a thread the JVM starts per signal.
 */
public final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /**
     * Replaces the handler of {@code SIG<name>} (e.g. {@code "TERM"}, {@code "HUP"}) by {@code handler}.
     *
     * @return whether the handler is installed (false, logged at warn, when the JVM does not allow it)
     */
    public static boolean handle(String name, Runnable handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> constructor = signalClass.getConstructor(String.class);
            Object signal = constructor.newInstance(name);
            InvocationHandler invocation = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        try {
                            handler.run();
                        } catch (RuntimeException | Error e) {
                            log.error("SIG{} handler failed: {}", name, e.toString(), e);
                        }
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    case "toString":
                        return "teledeploy SIG" + name + " handler";
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            };
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    invocation);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, signal, proxy);
            return true;
        } catch (InvocationTargetException e) {
            log.warn("SIG{}: cannot install a handler ({}): the JVM's default applies", name,
                    String.valueOf(e.getCause()));
            return false;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("SIG{}: signal handlers are not available in this JVM ({}): the JVM's default applies", name,
                    e.toString());
            return false;
        }
    }
}
