package dev.enphaseetl.sink.influx;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds {@code Authorization: Token <token>} (InfluxDB 2.x compatibility API and 3.x). */
final class TokenAuthInterceptor implements Interceptor {

    private final String token;

    TokenAuthInterceptor(String token) {
        this.token = token;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("Authorization", "Token " + token).build());
    }

    @Override
    public String toString() {
        return "TokenAuthInterceptor[token=***]";
    }
}
