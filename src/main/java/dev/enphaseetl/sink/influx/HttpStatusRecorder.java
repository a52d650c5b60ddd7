package dev.enphaseetl.sink.influx;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Remembers the HTTP status of the last response on the calling thread. The InfluxDB client turns an error response
 * into an exception that keeps only the body; the status (400 vs 5xx) is what tells a permanent rejection from a
 * transient failure. Synchronous OkHttp calls run interceptors on the calling thread, so a thread local is exact.
 */
final class HttpStatusRecorder implements Interceptor {

    private final ThreadLocal<Integer> last = new ThreadLocal<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        last.set(response.code());
        return response;
    }

    void reset() {
        last.remove();
    }

    /** Status of the last response on this thread, or 0 if none arrived. */
    int lastStatus() {
        Integer s = last.get();
        return s == null ? 0 : s;
    }
}
