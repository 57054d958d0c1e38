// The program this project was asked to serve, written for Keras in Python, expressed one-to-one:
//
//   np.random.seed(42)
//   X = np.random.rand(1000, 10)
//   Y = keras.utils.to_categorical(np.random.randint(2, size=(1000, 1)), num_classes=2)
//   model = keras.Sequential()
//   model.add(keras.layers.Dense(units=10, input_dim=10, activation='relu'))
//   model.add(keras.layers.Dense(units=10, activation='relu'))
//   model.add(keras.layers.Dense(units=2, activation='softmax'))
//   model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
//   model.fit(X, Y, epochs=100, verbose=1)
//   loss, accuracy = model.evaluate(X, Y)
//   print("Test Accuracy: {:.2f}".format(accuracy))
//
// Run: npx tsx examples/seed.ts [--verbose 0|1|2] [--epochs N]
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: { verbose: { type: 'string', default: '1' }, epochs: { type: 'string', default: '100' } },
});

tl.setSeed(42);
const X = tl.rand([1000, 10]);
const labels = tl.tensor(
  Array.from({ length: 1000 }, () => (tl.rand([1]).item() < 0.5 ? 0 : 1)),
  [1000, 1],
);
const Y = tl.utils.toCategorical(labels, 2);

const model = tl.sequential();
model.add(tl.layers.dense({ units: 10, inputDim: 10, activation: 'relu' }));
model.add(tl.layers.dense({ units: 10, activation: 'relu' }));
model.add(tl.layers.dense({ units: 2, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });

const t0 = performance.now();
await model.fit(X, Y, { epochs: Number(values.epochs), verbose: Number(values.verbose) as 0 | 1 | 2 });
const fitMs = performance.now() - t0;
const [, accuracy] = model.evaluate(X, Y);
console.log(`Test Accuracy: ${accuracy.toFixed(2)}`);
if (values.verbose === '0')
  console.log(
    `fit: ${fitMs.toFixed(0)} ms (${((fitMs * 1000) / (Number(values.epochs) * 32)).toFixed(1)} µs/step), backend ${tl.getBackend()}`,
  );
