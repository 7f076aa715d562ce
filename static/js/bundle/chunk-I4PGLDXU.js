import{a}from"./chunk-7JP2ZW5Q.js";import"./chunk-FQPGVVW5.js";import"./chunk-QUFPD75K.js";import"./chunk-AOBCNHGH.js";import"./chunk-EKMCB5HS.js";import"./chunk-HD42TFFO.js";import"./chunk-SCE5KVC4.js";export{a as TrainingView};
//# sourceMappingURL=chunk-I4PGLDXU.js.map
